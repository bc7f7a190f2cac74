import { createHash } from "node:crypto";
import type { FieldType, StructLayout } from "./ir.ts";

/**
 * The canonical text a fingerprint hashes: the target name, then for the struct and every nested struct: kind,
 * name, size, alignment, and per field its name (or `-` for an unnamed bitfield), offset, size, alignment, bit
 * offset and width, and its type: storage kind (`i32`, `u64`, `f80`…), string and array lengths, enum name and
 * members, libc type name, nested layouts recursively. It leaves out how C spells a type (`long` and `int64_t`
 * are the same bytes on LP64), holes and tail padding (implied by the rest), and the `packed`/`aligned` options
 * (only their effect on offsets counts).
 */
export function canonicalLayout(layout: Omit<StructLayout, "fingerprint">): string {
  return JSON.stringify([layout.target, record(layout)]);
}

function record(layout: Omit<StructLayout, "fingerprint">): unknown {
  return [
    layout.kind,
    layout.name,
    layout.size,
    layout.align,
    layout.fields.map((f) => [
      f.name ?? "-",
      f.offset,
      f.size,
      f.align,
      f.bitOffset ?? -1,
      f.bitWidth ?? -1,
      type(f.type),
    ]),
  ];
}

function type(t: FieldType): unknown {
  switch (t.kind) {
    case "scalar":
    case "atomic":
      return [t.kind, t.scalar];
    case "string":
      return [t.kind, t.length];
    case "array":
      return [t.kind, t.length, type(t.element)];
    case "flexible":
      return [t.kind, type(t.element)];
    case "record":
      return [t.kind, record(t.layout)];
    case "enum":
      return [t.kind, t.name, t.scalar, Object.entries(t.members)];
    case "libc":
      return [t.kind, t.type];
  }
}

/** SHA-256 of `canonicalLayout`, first 32 hex digits (128 bits). Stable across runs, processes and machines. */
export function fingerprintOf(layout: Omit<StructLayout, "fingerprint">): string {
  return createHash("sha256").update(canonicalLayout(layout)).digest("hex").slice(0, 32);
}
