type IntArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
type BigArray = BigInt64Array | BigUint64Array;

/**
 * An `_Atomic` integer field of up to 32 bits, read and written with `Atomics` (sequentially consistent, like
 * C11's default `memory_order_seq_cst`), so C code using `<stdatomic.h>` on the same field sees the same values.
 * Read-modify-write methods return the previous value, as `atomic_fetch_add` does.
 */
export class AtomicNumber {
  readonly #a: IntArray;
  readonly #i: number;

  constructor(array: IntArray, index: number) {
    this.#a = array;
    this.#i = index;
  }

  /** Reads the value (`atomic_load`). */
  load(): number {
    return Atomics.load(this.#a as Int32Array, this.#i);
  }
  /** Writes `value` and returns it (`atomic_store`). */
  store(value: number): number {
    return Atomics.store(this.#a as Int32Array, this.#i, value);
  }
  /** Adds `value`; returns the previous value (`atomic_fetch_add`). */
  add(value: number): number {
    return Atomics.add(this.#a as Int32Array, this.#i, value);
  }
  /** Subtracts `value`; returns the previous value (`atomic_fetch_sub`). */
  sub(value: number): number {
    return Atomics.sub(this.#a as Int32Array, this.#i, value);
  }
  /** Bitwise AND with `value`; returns the previous value (`atomic_fetch_and`). */
  and(value: number): number {
    return Atomics.and(this.#a as Int32Array, this.#i, value);
  }
  /** Bitwise OR with `value`; returns the previous value (`atomic_fetch_or`). */
  or(value: number): number {
    return Atomics.or(this.#a as Int32Array, this.#i, value);
  }
  /** Bitwise XOR with `value`; returns the previous value (`atomic_fetch_xor`). */
  xor(value: number): number {
    return Atomics.xor(this.#a as Int32Array, this.#i, value);
  }
  /** Writes `value`; returns the previous value (`atomic_exchange`). */
  exchange(value: number): number {
    return Atomics.exchange(this.#a as Int32Array, this.#i, value);
  }
  /** Stores `replacement` if the field holds `expected`; returns what it held (equal to `expected` on success). */
  compareExchange(expected: number, replacement: number): number {
    return Atomics.compareExchange(this.#a as Int32Array, this.#i, expected, replacement);
  }
}

/** A 64-bit `_Atomic` integer field, as bigint (JavaScript numbers cannot hold every 64-bit value). */
export class AtomicBigInt {
  readonly #a: BigArray;
  readonly #i: number;

  constructor(array: BigArray, index: number) {
    this.#a = array;
    this.#i = index;
  }

  /** Reads the value (`atomic_load`). */
  load(): bigint {
    return Atomics.load(this.#a as BigInt64Array, this.#i);
  }
  /** Writes `value` and returns it (`atomic_store`). */
  store(value: bigint): bigint {
    return Atomics.store(this.#a as BigInt64Array, this.#i, value);
  }
  /** Adds `value`; returns the previous value (`atomic_fetch_add`). */
  add(value: bigint): bigint {
    return Atomics.add(this.#a as BigInt64Array, this.#i, value);
  }
  /** Subtracts `value`; returns the previous value (`atomic_fetch_sub`). */
  sub(value: bigint): bigint {
    return Atomics.sub(this.#a as BigInt64Array, this.#i, value);
  }
  /** Bitwise AND with `value`; returns the previous value (`atomic_fetch_and`). */
  and(value: bigint): bigint {
    return Atomics.and(this.#a as BigInt64Array, this.#i, value);
  }
  /** Bitwise OR with `value`; returns the previous value (`atomic_fetch_or`). */
  or(value: bigint): bigint {
    return Atomics.or(this.#a as BigInt64Array, this.#i, value);
  }
  /** Bitwise XOR with `value`; returns the previous value (`atomic_fetch_xor`). */
  xor(value: bigint): bigint {
    return Atomics.xor(this.#a as BigInt64Array, this.#i, value);
  }
  /** Writes `value`; returns the previous value (`atomic_exchange`). */
  exchange(value: bigint): bigint {
    return Atomics.exchange(this.#a as BigInt64Array, this.#i, value);
  }
  /** Stores `replacement` if the field holds `expected`; returns what it held (equal to `expected` on success). */
  compareExchange(expected: bigint, replacement: bigint): bigint {
    return Atomics.compareExchange(this.#a as BigInt64Array, this.#i, expected, replacement);
  }
}
