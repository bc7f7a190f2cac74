import { type StorageInfo, storageOf } from "@shmkit/core/targets";
import type { ScalarKind } from "../../layout/ir.ts";

/** How a scalar reads in TypeScript, and which shared view holds it: core's one storage table. */
export type ScalarInfo = StorageInfo;

/** Scalar facts, or undefined for `long double` (f80/f128), which JavaScript cannot represent. */
export function scalarInfo(scalar: ScalarKind): ScalarInfo | undefined {
  return storageOf(scalar);
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
