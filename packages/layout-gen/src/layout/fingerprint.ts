import { createHash } from "node:crypto";
import type { FieldDigest } from "@shmkit/core/runtime";
import { getTargetOrThrow } from "@shmkit/core/targets";
import type { FieldLayout, FieldType, StructLayout } from "./ir.ts";

/**
 * The canonical text a fingerprint hashes: what the bytes are, not which target made them. The byte order, then
 * for the struct and every nested struct: kind, name and size, and per field its name (or `-` for an unnamed
 * bitfield), offset, size, bit offset and width, and its type: storage kind (`i32`, `u64`, `f80`…), string and
 * array lengths, enum name and members, nested layouts recursively, and for a libc type its name and the libc ABI
 * whose bytes it holds (`glibc/x86_64`).
 *
 * It leaves out the target's name, so that two targets that place every byte alike (fixed-width fields on i686
 * and x86_64) share segments; how C spells a type (`long` and `int64_t` are the same bytes on LP64); holes and
 * tail padding (implied by the rest); and alignments and the `packed`/`aligned` options, which count only through
 * the offsets and sizes they produce. (The struct's alignment decides where a typed segment puts it, and that
 * offset is in the header, checked against the opener's alignment.)
 */
export function canonicalLayout(layout: Omit<StructLayout, "fingerprint">): string {
  return JSON.stringify([getTargetOrThrow(layout.target).endian, record(layout)]);
}

function record(layout: Omit<StructLayout, "fingerprint">): unknown {
  return [layout.kind, layout.name, layout.size, layout.fields.map((f) => field(f, layout))];
}

function field(f: FieldLayout, layout: Omit<StructLayout, "fingerprint">): unknown {
  return [f.name ?? "-", f.offset, f.size, ...fieldType(f, layout)];
}

/** What a field is, apart from its name, offset and size: bit position and type. */
function fieldType(f: FieldLayout, layout: Omit<StructLayout, "fingerprint">): unknown[] {
  return [f.bitOffset ?? -1, f.bitWidth ?? -1, type(f.type, layout)];
}

function type(t: FieldType, layout: Omit<StructLayout, "fingerprint">): unknown {
  switch (t.kind) {
    case "scalar":
    case "atomic":
      return [t.kind, t.scalar];
    case "string":
      return [t.kind, t.length];
    case "array":
      return [t.kind, t.length, type(t.element, layout)];
    case "flexible":
      return [t.kind, type(t.element, layout)];
    case "record":
      return [t.kind, record(t.layout)];
    case "enum":
      return [t.kind, t.name, t.scalar, Object.entries(t.members)];
    case "libc":
      return [t.kind, t.type, getTargetOrThrow(layout.target).libcAbi];
  }
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** SHA-256 of `canonicalLayout`, first 32 hex digits (128 bits). Stable across runs, processes and machines. */
export function fingerprintOf(layout: Omit<StructLayout, "fingerprint">): string {
  return sha256(canonicalLayout(layout)).slice(0, 32);
}

/**
 * The struct's fields as a typed segment's header records them (see `HEADER` in @shmkit/core): name, offset,
 * size, and a 32-bit hash of the rest of what the fingerprint says about the field, so that an opener whose
 * fingerprint differs can name the first field that does.
 */
export function fieldDigests(layout: StructLayout): FieldDigest[] {
  return layout.fields.map((f) => ({
    name: f.name ?? "",
    offset: f.offset,
    size: f.size,
    typeHash: Number.parseInt(sha256(JSON.stringify(fieldType(f, layout))).slice(0, 8), 16),
  }));
}
