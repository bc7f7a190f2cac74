import type { ScalarStorage } from "./table.ts";

/** A scalar storage kind that has one size on every target: all but the `long double` kinds `f80` and `f128`. */
export type FixedStorage = Exclude<ScalarStorage, "f80" | "f128">;

/** How a fixed-size scalar is held in memory and read from JavaScript. */
export interface StorageInfo {
  /** Bytes, on every target. */
  readonly size: number;
  /** log2 of `size`: the shift that turns a byte offset into a typed-array index. */
  readonly shift: number;
  /** The TypeScript type a read gives. */
  readonly ts: "number" | "bigint" | "boolean";
  /** The typed array that holds it when aligned, by its element kind (`bool` is read through `u8`). */
  readonly view: Exclude<FixedStorage, "bool">;
  /** The DataView method suffix for a misaligned one (`Float64`: `getFloat64`/`setFloat64`), little-endian. */
  readonly dataView:
    | "Int8"
    | "Uint8"
    | "Int16"
    | "Uint16"
    | "Int32"
    | "Uint32"
    | "Float32"
    | "Float64"
    | "BigInt64"
    | "BigUint64";
  /** True for the signed integers and the floats. */
  readonly signed: boolean;
}

const s = (
  size: 1 | 2 | 4 | 8,
  ts: StorageInfo["ts"],
  view: StorageInfo["view"],
  dataView: StorageInfo["dataView"],
  signed: boolean,
): StorageInfo => ({ size, shift: Math.log2(size), ts, view, dataView, signed });

/**
 * The one table of fixed-size scalar storage: what core's typed arrays, layout-gen's layouts and its generated
 * accessors all read. The `long double` kinds are not here: their size is the target's (`Target.scalars`).
 */
export const STORAGE: Readonly<Record<FixedStorage, StorageInfo>> = {
  i8: s(1, "number", "i8", "Int8", true),
  u8: s(1, "number", "u8", "Uint8", false),
  bool: s(1, "boolean", "u8", "Uint8", false),
  i16: s(2, "number", "i16", "Int16", true),
  u16: s(2, "number", "u16", "Uint16", false),
  i32: s(4, "number", "i32", "Int32", true),
  u32: s(4, "number", "u32", "Uint32", false),
  f32: s(4, "number", "f32", "Float32", true),
  f64: s(8, "number", "f64", "Float64", true),
  i64: s(8, "bigint", "i64", "BigInt64", true),
  u64: s(8, "bigint", "u64", "BigUint64", false),
};

/** The storage facts of `kind`, or undefined for `f80`/`f128`, whose size depends on the target. */
export function storageOf(kind: ScalarStorage): StorageInfo | undefined {
  return kind === "f80" || kind === "f128" ? undefined : STORAGE[kind];
}
