import type { FieldLayout, FieldType, StructLayout } from "@shmkit/layout-gen";

/** Cache line size used for boundaries in reports (x86_64 and most aarch64 cores). */
export const CACHE_LINE = 64;

/** The C spelling of a field's declaration: `unsigned int flags:3`, `char label[16]`, `struct Point origin`. */
export function declaration(field: FieldLayout): string {
  const name = field.name ?? "";
  const { base, suffix } = spell(field.type);
  const bits = field.bitWidth === undefined ? "" : `:${field.bitWidth}`;
  return `${base} ${name}${suffix}${bits}`.trimEnd();
}

/** The C spelling of a type alone (`int[2][3]`, `struct Point`), as `--json` prints it. */
export function typeName(type: FieldType): string {
  const { base, suffix } = spell(type);
  return `${base}${suffix}`;
}

function spell(type: FieldType): { base: string; suffix: string } {
  switch (type.kind) {
    case "scalar":
    case "atomic":
      return { base: type.kind === "atomic" ? `_Atomic ${type.cType}` : type.cType, suffix: "" };
    case "string":
      return { base: "char", suffix: `[${type.length}]` };
    case "array": {
      const inner = spell(type.element);
      return { base: inner.base, suffix: `[${type.length}]${inner.suffix}` };
    }
    case "flexible": {
      const inner = spell(type.element);
      return { base: inner.base, suffix: `[]${inner.suffix}` };
    }
    case "record":
      return { base: `${type.layout.kind} ${type.layout.name}`, suffix: "" };
    case "enum":
      return { base: `enum ${type.name}`, suffix: "" };
    case "libc":
      return { base: type.type, suffix: "" };
  }
}

/**
 * A pahole-style report of one layout: each member with its offset and size (`offset:bit` for bitfields), holes,
 * cache-line boundaries, tail padding and a summary, in C syntax so that it reads like the header.
 */
export function layoutReport(
  layout: StructLayout,
  paint: (style: "dim" | "yellow" | "bold", text: string) => string,
) {
  const lines: string[] = [];
  const attributes = [
    layout.packed ? "packed" : "",
    layout.alignAttribute ? `aligned(${layout.alignAttribute})` : "",
  ]
    .filter(Boolean)
    .join(", ");
  const attr = attributes ? ` __attribute__((${attributes}))` : "";
  lines.push(
    `${paint("bold", `${layout.kind} ${layout.name}`)} {${paint("dim", `   /* ${layout.target} */`)}`,
  );
  const decls = layout.fields.map((f) => `${declaration(f)};`);
  const width = Math.max(32, ...decls.map((d) => d.length + 1));
  const holes = [...layout.holes].sort((a, b) => a.offset - b.offset);
  let line = 1;
  let holeIndex = 0;
  let sumMembers = 0;
  for (const [i, field] of layout.fields.entries()) {
    while (
      layout.kind === "struct" &&
      holeIndex < holes.length &&
      (holes[holeIndex]?.offset ?? 0) < field.offset
    ) {
      const hole = holes[holeIndex++];
      if (hole)
        lines.push(
          `\t${paint("yellow", `/* XXX ${hole.size} byte${hole.size === 1 ? "" : "s"} hole, try to pack */`)}`,
        );
    }
    if (layout.kind === "struct") {
      while (field.offset >= line * CACHE_LINE) {
        lines.push(
          `\t${paint("dim", `/* --- cacheline ${line} boundary (${line * CACHE_LINE} bytes) --- */`)}`,
        );
        line++;
      }
    }
    const where =
      field.bitOffset === undefined
        ? `${String(field.offset).padStart(6)} ${String(field.size).padStart(5)}`
        : `${String(field.offset).padStart(6)}:${String(field.bitOffset).padStart(2)} ${String(field.size).padStart(2)}`;
    lines.push(`\t${(decls[i] ?? "").padEnd(width)}${paint("dim", `/* ${where} */`)}`);
    if (field.bitOffset === undefined) sumMembers += field.size;
    // A member that straddles a boundary: say so after it, as pahole does.
    const end = field.offset + field.size;
    if (layout.kind === "struct" && field.bitOffset === undefined && end > line * CACHE_LINE) {
      const ago = end - line * CACHE_LINE;
      lines.push(
        `\t${paint("dim", `/* --- cacheline ${line} boundary (${line * CACHE_LINE} bytes) was ${ago} byte${ago === 1 ? "" : "s"} ago --- */`)}`,
      );
      line++;
    }
  }
  sumMembers += bitfieldBytes(layout.fields);
  const sumHoles = holes.reduce((n, h) => n + h.size, 0);
  const cachelines = Math.ceil(layout.size / CACHE_LINE);
  lines.push("");
  lines.push(
    `\t/* size: ${layout.size}, align: ${layout.align}, cachelines: ${cachelines}, members: ${layout.fields.length} */`,
  );
  if (layout.kind === "struct") {
    lines.push(`\t/* sum members: ${sumMembers}, holes: ${holes.length}, sum holes: ${sumHoles} */`);
    if (layout.tailPadding > 0) lines.push(`\t/* padding: ${layout.tailPadding} */`);
  }
  const last = layout.size % CACHE_LINE;
  if (last !== 0 && cachelines > 1) lines.push(`\t/* last cacheline: ${last} bytes */`);
  lines.push(`\t/* fingerprint: ${layout.fingerprint} */`);
  lines.push(`}${attr};`);
  return lines;
}

/** Bytes taken by bitfields: each distinct storage unit once (bitfields that share a unit share its bytes). */
function bitfieldBytes(fields: readonly FieldLayout[]): number {
  const units = new Map<number, number>();
  for (const f of fields) {
    if (f.bitOffset === undefined || !f.bitWidth) continue;
    const first = f.offset * 8 + f.bitOffset;
    for (let byte = Math.floor(first / 8); byte <= Math.floor((first + f.bitWidth - 1) / 8); byte++)
      units.set(byte, 1);
  }
  return units.size;
}

/** `--json`: the shape the CLI documents. Bitfields add `bitOffset` and `bitWidth`. */
export function layoutJson(layout: StructLayout) {
  return {
    name: layout.name,
    size: layout.size,
    align: layout.align,
    fingerprint: layout.fingerprint,
    fields: layout.fields.map((f) => ({
      name: f.name ?? null,
      offset: f.offset,
      size: f.size,
      align: f.align,
      type: typeName(f.type),
      ...(f.bitOffset === undefined ? {} : { bitOffset: f.bitOffset, bitWidth: f.bitWidth }),
    })),
  };
}
