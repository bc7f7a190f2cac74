/** Terminal output: colour only on a TTY, never with NO_COLOR, and plain-text tables. */

type Stream = { isTTY?: boolean; write(text: string): unknown };

/**
 * True when `stream` should get ANSI colour: never with NO_COLOR (https://no-color.org), always with
 * FORCE_COLOR (other than `0`/`false`), otherwise only on a terminal. The same rule commander applies to help.
 */
export function useColour(stream: Stream = process.stdout): boolean {
  const env = process.env;
  if (env.NO_COLOR || env.FORCE_COLOR === "0" || env.FORCE_COLOR === "false") return false;
  if (env.FORCE_COLOR !== undefined) return true;
  return stream.isTTY === true;
}

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
};
export type Style = keyof typeof CODES;

/** A painter for one stream: `paint("red", text)` adds colour only when that stream may have it. */
export function painter(stream: Stream = process.stdout): (style: Style, text: string) => string {
  if (!useColour(stream)) return (_style, text) => text;
  return (style, text) => `\x1b[${CODES[style][0]}m${text}\x1b[${CODES[style][1]}m`;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences are what this strips.
const ANSI = /\x1b\[[0-9;]*m/g;

/** Visible width of `text` (ANSI colour codes take no room). */
export function visibleWidth(text: string): number {
  return text.replace(ANSI, "").length;
}

/** Formats rows as columns separated by two spaces; `right` lists the columns to right-align (numbers). */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
) {
  const widths = header.map((h, i) =>
    Math.max(visibleWidth(h), ...rows.map((r) => visibleWidth(r[i] ?? ""))),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const pad = " ".repeat((widths[i] ?? 0) - visibleWidth(cell));
        return right.includes(i) ? pad + cell : i === cells.length - 1 ? cell : cell + pad;
      })
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** Writes `text` and a newline to stdout. */
export function println(text = ""): void {
  process.stdout.write(`${text}\n`);
}

/** Writes `shmkit <command>: <message>` to stderr, in red on a terminal. */
export function printError(command: string, message: string): void {
  const paint = painter(process.stderr);
  process.stderr.write(`${paint("red", `shmkit ${command}:`)} ${message}\n`);
}

/** Pretty JSON with a trailing newline, for `--json`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** `0o600` as `0600`, the way ls and chmod write modes. */
export function formatMode(mode: number): string {
  return mode.toString(8).padStart(4, "0");
}
