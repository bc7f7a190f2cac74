/**
 * `hexdump -C` style lines for `bytes`, with offsets counted from `base`. Runs of identical 16-byte lines collapse
 * into one `*` line, so that a mostly-zero 1 MiB segment prints a few lines, not 65,536.
 */
export function hexdump(bytes: Uint8Array, base = 0): string[] {
  const lines: string[] = [];
  let previous: string | undefined;
  let starred = false;
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, Math.min(at + 16, bytes.length));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, "0"));
    const key = hex.join(" ");
    if (key === previous && row.length === 16) {
      if (!starred) lines.push("*");
      starred = true;
      continue;
    }
    previous = key;
    starred = false;
    const left = hex.slice(0, 8).join(" ");
    const right = hex.slice(8).join(" ");
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
    lines.push(`${offset(base + at)}  ${left.padEnd(23)}  ${right.padEnd(23)}  |${ascii}|`);
  }
  lines.push(offset(base + bytes.length));
  return lines;
}

function offset(n: number): string {
  return n.toString(16).padStart(8, "0");
}
