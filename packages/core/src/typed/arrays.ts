import { ShmArgumentError } from "../errors.ts";
import { STORAGE } from "../targets/storage.ts";
import { readCString, writeCString } from "./strings.ts";

function checkIndex(index: number, length: number, field: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new ShmArgumentError(`${field}[index]`, `must be an integer from 0 to ${length - 1}`, index);
  }
}

/**
 * A fixed-size array of structs, nested arrays, strings' neighbours or handles: `get(i)` returns the element's
 * accessor, made on first use and cached, so walking an array allocates once per element, not per access.
 * (Arrays of aligned numbers are plain typed arrays over the field instead.)
 */
export class HandleArray<T> implements Iterable<T> {
  /** Number of elements. */
  readonly length: number;
  readonly #base: number;
  readonly #stride: number;
  readonly #make: (offset: number) => T;
  readonly #field: string;
  readonly #cache: (T | undefined)[];

  constructor(base: number, length: number, stride: number, make: (offset: number) => T, field: string) {
    this.#base = base;
    this.length = length;
    this.#stride = stride;
    this.#make = make;
    this.#field = field;
    this.#cache = new Array<T | undefined>(length).fill(undefined);
  }

  /** The element at `index`; ShmArgumentError outside 0…length-1. */
  get(index: number): T {
    checkIndex(index, this.length, this.#field);
    let element = this.#cache[index];
    if (element === undefined) {
      element = this.#make(this.#base + index * this.#stride);
      this.#cache[index] = element;
    }
    return element;
  }

  /** The elements in index order. */
  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/** An array of `char[N]` strings (`char names[4][16]`), with the string rule of `writeCString`. */
export class StringArray implements Iterable<string> {
  /** Number of elements. */
  readonly length: number;
  readonly #u8: Uint8Array;
  readonly #base: number;
  readonly #size: number;
  readonly #field: string;

  constructor(u8: Uint8Array, base: number, length: number, size: number, field: string) {
    this.#u8 = u8;
    this.#base = base;
    this.length = length;
    this.#size = size;
    this.#field = field;
  }

  /** The string at `index`; ShmArgumentError outside 0…length-1. */
  get(index: number): string {
    checkIndex(index, this.length, this.#field);
    return readCString(this.#u8, this.#base + index * this.#size, this.#size);
  }

  /** Writes the string at `index`; a value over the element's size less one byte throws ShmArgumentError. */
  set(index: number, value: string): void {
    checkIndex(index, this.length, this.#field);
    writeCString(this.#u8, this.#base + index * this.#size, this.#size, value, `${this.#field}[${index}]`);
  }

  /** The elements in index order. */
  *[Symbol.iterator](): Iterator<string> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}

/** Element readers for arrays that `packed` leaves misaligned, through a DataView (little-endian). */
export type UnalignedKind =
  | "i8"
  | "u8"
  | "i16"
  | "u16"
  | "i32"
  | "u32"
  | "f32"
  | "f64"
  | "i64"
  | "u64"
  | "bool";

type ValueOf<K extends UnalignedKind> = K extends "i64" | "u64"
  ? bigint
  : K extends "bool"
    ? boolean
    : number;

/** A scalar array at an offset its element type cannot be aligned to (inside a `packed` struct). */
export class UnalignedArray<K extends UnalignedKind> implements Iterable<ValueOf<K>> {
  /** Number of elements. */
  readonly length: number;
  readonly #dv: DataView;
  readonly #base: number;
  readonly #kind: K;
  readonly #size: number;
  readonly #field: string;

  constructor(dv: DataView, base: number, length: number, kind: K, field: string) {
    this.#dv = dv;
    this.#base = base;
    this.length = length;
    this.#kind = kind;
    this.#size = STORAGE[kind].size;
    this.#field = field;
  }

  /** The element at `index`; ShmArgumentError outside 0…length-1. */
  get(index: number): ValueOf<K> {
    checkIndex(index, this.length, this.#field);
    const at = this.#base + index * this.#size;
    const dv = this.#dv;
    switch (this.#kind) {
      case "i8":
        return dv.getInt8(at) as ValueOf<K>;
      case "u8":
        return dv.getUint8(at) as ValueOf<K>;
      case "bool":
        return (dv.getUint8(at) !== 0) as ValueOf<K>;
      case "i16":
        return dv.getInt16(at, true) as ValueOf<K>;
      case "u16":
        return dv.getUint16(at, true) as ValueOf<K>;
      case "i32":
        return dv.getInt32(at, true) as ValueOf<K>;
      case "u32":
        return dv.getUint32(at, true) as ValueOf<K>;
      case "f32":
        return dv.getFloat32(at, true) as ValueOf<K>;
      case "f64":
        return dv.getFloat64(at, true) as ValueOf<K>;
      case "i64":
        return dv.getBigInt64(at, true) as ValueOf<K>;
      default:
        return dv.getBigUint64(at, true) as ValueOf<K>;
    }
  }

  /** Writes the element at `index`; ShmArgumentError outside 0…length-1. */
  set(index: number, value: ValueOf<K>): void {
    checkIndex(index, this.length, this.#field);
    const at = this.#base + index * this.#size;
    const dv = this.#dv;
    switch (this.#kind) {
      case "i8":
        dv.setInt8(at, value as number);
        break;
      case "u8":
        dv.setUint8(at, value as number);
        break;
      case "bool":
        dv.setUint8(at, value ? 1 : 0);
        break;
      case "i16":
        dv.setInt16(at, value as number, true);
        break;
      case "u16":
        dv.setUint16(at, value as number, true);
        break;
      case "i32":
        dv.setInt32(at, value as number, true);
        break;
      case "u32":
        dv.setUint32(at, value as number, true);
        break;
      case "f32":
        dv.setFloat32(at, value as number, true);
        break;
      case "f64":
        dv.setFloat64(at, value as number, true);
        break;
      case "i64":
        dv.setBigInt64(at, value as bigint, true);
        break;
      default:
        dv.setBigUint64(at, value as bigint, true);
    }
  }

  /** The elements in index order. */
  *[Symbol.iterator](): Iterator<ValueOf<K>> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }
}
