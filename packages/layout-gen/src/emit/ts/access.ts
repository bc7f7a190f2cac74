import type { ScalarKind } from "../../layout/ir.ts";

/** How a scalar reads in TypeScript, and which shared view holds it. */
export interface ScalarInfo {
  readonly ts: "number" | "bigint" | "boolean";
  /** The `Views` member (typed array) for aligned access. */
  readonly view: "i8" | "u8" | "i16" | "u16" | "i32" | "u32" | "f32" | "f64" | "i64" | "u64";
  /** log2 of the size: the shift that turns a byte offset into an index. */
  readonly shift: number;
  readonly size: number;
  /** DataView method suffix for misaligned access (`Float64` → getFloat64/setFloat64). */
  readonly dataView: string;
  readonly signed: boolean;
}

const INFO: Partial<Record<ScalarKind, ScalarInfo>> = {
  i8: { ts: "number", view: "i8", shift: 0, size: 1, dataView: "Int8", signed: true },
  u8: { ts: "number", view: "u8", shift: 0, size: 1, dataView: "Uint8", signed: false },
  bool: { ts: "boolean", view: "u8", shift: 0, size: 1, dataView: "Uint8", signed: false },
  i16: { ts: "number", view: "i16", shift: 1, size: 2, dataView: "Int16", signed: true },
  u16: { ts: "number", view: "u16", shift: 1, size: 2, dataView: "Uint16", signed: false },
  i32: { ts: "number", view: "i32", shift: 2, size: 4, dataView: "Int32", signed: true },
  u32: { ts: "number", view: "u32", shift: 2, size: 4, dataView: "Uint32", signed: false },
  f32: { ts: "number", view: "f32", shift: 2, size: 4, dataView: "Float32", signed: true },
  f64: { ts: "number", view: "f64", shift: 3, size: 8, dataView: "Float64", signed: true },
  i64: { ts: "bigint", view: "i64", shift: 3, size: 8, dataView: "BigInt64", signed: true },
  u64: { ts: "bigint", view: "u64", shift: 3, size: 8, dataView: "BigUint64", signed: false },
};

/** Scalar facts, or undefined for `long double` (f80/f128), which JavaScript cannot represent. */
export function scalarInfo(scalar: ScalarKind): ScalarInfo | undefined {
  return INFO[scalar];
}

/** `this.$base + 8`, or `this.$base` for offset 0: the byte address of a field. */
export function at(offset: number, base = "this.$base"): string {
  return offset === 0 ? base : `${base} + ${offset}`;
}

/** The typed-array index of a value at `byteExpr`, for an element of `1 << shift` bytes. */
export function index(byteExpr: string, shift: number): string {
  if (shift === 0) return byteExpr;
  return byteExpr.includes(" ") ? `(${byteExpr}) >>> ${shift}` : `${byteExpr} >>> ${shift}`;
}

/** An expression reading a scalar at `byteExpr`; `aligned` picks the typed array, else the DataView. */
export function readScalar(info: ScalarInfo, byteExpr: string, aligned: boolean): string {
  if (aligned || info.size === 1) {
    const read = `this.$v.${info.view}[${index(byteExpr, info.shift)}]`;
    return info.ts === "boolean" ? `${read} !== 0` : `${read}!`;
  }
  const read = `this.$v.dv.get${info.dataView}(${byteExpr}, true)`;
  return info.ts === "boolean" ? `${read} !== 0` : read;
}

/** A statement writing `value` as a scalar at `byteExpr`. */
export function writeScalar(info: ScalarInfo, byteExpr: string, aligned: boolean, value = "value"): string {
  const v = info.ts === "boolean" ? `${value} ? 1 : 0` : value;
  if (aligned || info.size === 1) return `this.$v.${info.view}[${index(byteExpr, info.shift)}] = ${v};`;
  return `this.$v.dv.set${info.dataView}(${byteExpr}, ${v}, true);`;
}
