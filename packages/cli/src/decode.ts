import type { FieldLayout, FieldType, ScalarKind, StructLayout } from "@shmkit/layout-gen";
import { typeName } from "./layout-report.ts";

/** A decoded value, JSON-ready: 64-bit integers as decimal strings, records as objects, arrays as arrays. */
export type Value = number | string | boolean | null | Value[] | { [field: string]: Value };

const MAX_ARRAY = 16;

/**
 * Reads every named field of `layout` from `bytes` (the struct's own bytes, little-endian as on every shmkit
 * target), the way the generated accessors would. Opaque libc objects and flexible array members have no value.
 */
export function decodeRecord(layout: StructLayout, bytes: Uint8Array, base = 0): { [field: string]: Value } {
  const out: { [field: string]: Value } = {};
  for (const field of layout.fields) {
    if (field.name === undefined) continue;
    out[field.name] = decodeField(field, bytes, base);
  }
  return out;
}

function decodeField(field: FieldLayout, bytes: Uint8Array, base: number): Value {
  if (field.bitWidth !== undefined) return readBitfield(field, bytes, base);
  return decodeType(field.type, bytes, base + field.offset, field.size);
}

function decodeType(type: FieldType, bytes: Uint8Array, at: number, size: number): Value {
  switch (type.kind) {
    case "scalar":
    case "atomic":
      return readScalar(type.scalar, bytes, at);
    case "enum": {
      const value = Number(readScalar(type.scalar, bytes, at));
      const name = Object.entries(type.members).find(([, v]) => v === value)?.[0];
      return name ?? value;
    }
    case "string": {
      const slice = bytes.subarray(at, at + type.length);
      const end = slice.indexOf(0);
      return new TextDecoder().decode(end < 0 ? slice : slice.subarray(0, end));
    }
    case "array": {
      const elementSize = size / type.length;
      const shown = Math.min(type.length, MAX_ARRAY);
      const values: Value[] = [];
      for (let i = 0; i < shown; i++)
        values.push(decodeType(type.element, bytes, at + i * elementSize, elementSize));
      if (type.length > shown) values.push(`… ${type.length - shown} more`);
      return values;
    }
    case "record":
      return decodeRecord(type.layout, bytes, at);
    case "libc":
    case "flexible":
      return null;
  }
}

function readScalar(kind: ScalarKind, bytes: Uint8Array, at: number): Value {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (kind) {
    case "i8":
      return dv.getInt8(at);
    case "u8":
      return dv.getUint8(at);
    case "i16":
      return dv.getInt16(at, true);
    case "u16":
      return dv.getUint16(at, true);
    case "i32":
      return dv.getInt32(at, true);
    case "u32":
      return dv.getUint32(at, true);
    case "i64":
      return dv.getBigInt64(at, true).toString();
    case "u64":
      return dv.getBigUint64(at, true).toString();
    case "f32":
      return dv.getFloat32(at, true);
    case "f64":
      return dv.getFloat64(at, true);
    case "bool":
      return dv.getUint8(at) !== 0;
    case "f80":
    case "f128":
      // No JS number holds these exactly: show the bytes, as a debugger does.
      // slice, not subarray: reverse() works in place and must not scramble the caller's snapshot.
      return `0x${Buffer.from(bytes.slice(at, at + (kind === "f80" ? 10 : 16)).reverse()).toString("hex")}`;
  }
}

const SIGNED = new Set<ScalarKind>(["i8", "i16", "i32", "i64"]);

function readBitfield(field: FieldLayout, bytes: Uint8Array, base: number): Value {
  const first = (base + field.offset) * 8 + (field.bitOffset ?? 0);
  const width = field.bitWidth ?? 0;
  let value = 0n;
  for (let bit = width - 1; bit >= 0; bit--) {
    const at = first + bit;
    value = (value << 1n) | BigInt(((bytes[at >> 3] ?? 0) >> (at & 7)) & 1);
  }
  const type = field.type;
  const scalar = type.kind === "scalar" || type.kind === "enum" ? type.scalar : "u32";
  if (SIGNED.has(scalar) && width > 0 && value >> BigInt(width - 1) === 1n) value -= 1n << BigInt(width);
  const n = Number(value);
  if (type.kind === "enum") return Object.entries(type.members).find(([, v]) => v === n)?.[0] ?? n;
  if (type.kind === "scalar" && type.scalar === "bool") return n !== 0;
  return width > 53 ? value.toString() : n;
}

/** One line per field, nested records indented under their field: `  qty  int64_t  @8  42`. */
export function decodedLines(layout: StructLayout, bytes: Uint8Array): string[] {
  const rows: [string, string, string, string][] = [];
  const walk = (l: StructLayout, base: number, indent: string) => {
    for (const field of l.fields) {
      if (field.name === undefined) continue;
      const at =
        field.bitOffset === undefined
          ? `@${base + field.offset}`
          : `@${base + field.offset}:${field.bitOffset}`;
      const type = `${typeName(field.type)}${field.bitWidth === undefined ? "" : `:${field.bitWidth}`}`;
      if (field.type.kind === "record" && field.bitWidth === undefined) {
        rows.push([`${indent}${field.name}`, type, at, ""]);
        walk(field.type.layout, base + field.offset, `${indent}  `);
        continue;
      }
      const value = decodeField(field, bytes, base);
      rows.push([`${indent}${field.name}`, type, at, show(field.type, value, field.size)]);
    }
  };
  walk(layout, 0, "  ");
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
  return rows.map((r) =>
    `${r[0].padEnd(widths[0] ?? 0)}  ${r[1].padEnd(widths[1] ?? 0)}  ${r[2].padEnd(widths[2] ?? 0)}  ${r[3]}`.trimEnd(),
  );
}

function show(type: FieldType, value: Value, size: number): string {
  if (type.kind === "libc") return `(${size} bytes, opaque)`;
  if (type.kind === "flexible") return "(flexible array member)";
  if (type.kind === "string") return JSON.stringify(value);
  return JSON.stringify(value).replace(/"(-?\d+)"/g, "$1");
}
