import { existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";

export type LoadedModule =
  | { readonly ok: true; readonly path: string; readonly exports: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly message: string };

/**
 * Imports a schema module with Bun (a dynamic `import()` of its absolute path), so that it can use any import a
 * program can. A module that does not load gives a message with the place, `schema.ts:4:7: error: …`, not a stack
 * trace of the CLI.
 */
export async function loadModule(file: string): Promise<LoadedModule> {
  const path = resolve(file);
  if (!existsSync(path)) return { ok: false, message: `${file}: no such file` };
  if (!statSync(path).isFile()) return { ok: false, message: `${file}: not a file` };
  try {
    const exports = (await import(path)) as Record<string, unknown>;
    return { ok: true, path, exports };
  } catch (error) {
    return { ok: false, message: describeLoadError(error, path) };
  }
}

interface BuildPosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly lineText?: string;
  readonly length?: number;
}

/** Bun's syntax errors (BuildMessage, with `position`), resolve errors, and errors thrown while the module runs. */
export function describeLoadError(error: unknown, path: string): string {
  const shown = (file: string) => relative(process.cwd(), file) || file;
  if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
    const e = error as Error & { position?: BuildPosition | null };
    if (e.position?.file) {
      const p = e.position;
      const lines = [`${shown(p.file)}:${p.line}:${p.column}: error: ${e.message}`];
      if (p.lineText !== undefined) {
        lines.push(
          `  ${p.lineText}`,
          `  ${" ".repeat(Math.max(0, p.column - 1))}${"^".repeat(Math.max(1, p.length ?? 1))}`,
        );
      }
      return lines.join("\n");
    }
    const frames = (e.stack ?? "")
      .split("\n")
      .map((line) => /\(?(\/[^()\s]+):(\d+):(\d+)\)?$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null);
    // The frame in the schema itself says where to look; other frames (the DSL's own code) come after it.
    const frame = frames.find((m) => m[1] === path) ?? frames[0];
    const name = e.name && e.name !== "Error" ? `${e.name}: ` : "";
    if (frame) return `${shown(frame[1] ?? "")}:${frame[2]}:${frame[3]}: ${name}${e.message}`;
    return `${shown(path)}: ${name}${e.message}`;
  }
  return `${shown(path)}: ${String(error)}`;
}
