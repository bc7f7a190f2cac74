import { type RecordDef, struct, type TypeSpec, t, union } from "../../../src/index.ts";

/** mulberry32: a small seeded PRNG, so a failing run can be replayed from its printed seed. */
export function rng(seed: number): {
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
} {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return {
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    chance: (p) => next() < p,
  };
}

export type Rng = ReturnType<typeof rng>;

export interface GenerateOptions {
  /** Whether pthread/semaphore types may appear (only where the compiler has the target's libc headers). */
  readonly libc: boolean;
  /** Unique prefix for struct and enum tags in one batch. */
  readonly prefix: string;
  /** Bits in `long` on the target (bitfields of `long`/`size_t` may be that wide); 32 if not given. */
  readonly longBits?: number;
}

const SCALARS = [
  t.i8,
  t.u8,
  t.i16,
  t.u16,
  t.i32,
  t.u32,
  t.i64,
  t.u64,
  t.f32,
  t.f64,
  t.bool,
  t.char_,
  t.schar,
  t.uchar,
  t.short,
  t.ushort,
  t.int,
  t.uint,
  t.long,
  t.ulong,
  t.long_long,
  t.ulong_long,
  t.float,
  t.double,
  t.long_double,
  t.size_t,
  t.ssize_t,
  t.ptrdiff_t,
  t.intptr_t,
  t.uintptr_t,
];
const ATOMICS = [t.i8, t.u16, t.i32, t.u32, t.i64, t.u64, t.bool, t.int, t.long, t.long_long, t.size_t];
/** Bitfield types with the widths valid on every target (`long` is 32 bits on i386). */
const BIT_TYPES = [
  [t.i8, 8],
  [t.u8, 8],
  [t.char_, 8],
  [t.i16, 16],
  [t.ushort, 16],
  [t.i32, 32],
  [t.u32, 32],
  [t.int, 32],
  [t.uint, 32],
  [t.long, 32],
  [t.ulong, 32],
  [t.i64, 64],
  [t.u64, 64],
  [t.long_long, 64],
  [t.ulong_long, 64],
  [t.bool, 1],
] as const;
const LIBC = [t.pthread_mutex, t.pthread_cond, t.pthread_rwlock, t.sem];

/** Generates one random struct or union (with nested records and enums of its own) using every DSL feature. */
export function randomRecord(r: Rng, options: GenerateOptions): RecordDef {
  let serial = 0;
  const tag = (kind: string): string => `${options.prefix}_${kind}${serial++}`;

  const randomEnum = (): TypeSpec & { kind: "enum" } => {
    const members: Record<string, number> = {};
    const n = r.int(1, 4);
    const name = tag("E");
    const negative = r.chance(0.3);
    for (let i = 0; i < n; i++) {
      members[`${name}_V${i}`] = negative
        ? r.int(-200, 200)
        : r.chance(0.1)
          ? r.int(2 ** 31, 2 ** 32 - 1)
          : r.int(0, 300);
    }
    return t.enum(name, members);
  };

  const record = (depth: number, packedParent: boolean): RecordDef => {
    const packed = r.chance(0.2);
    const noSync = packed || packedParent;
    const isUnion = r.chance(0.15);
    const options2: { packed?: boolean; align?: number } = {};
    if (packed) options2.packed = true;
    if (r.chance(0.12)) options2.align = r.pick([1, 2, 4, 8, 16, 32, 64]);
    const fields: Record<string, TypeSpec> = {};
    const n = r.int(1, 9);
    let pads = 0;
    for (let i = 0; i < n; i++) fields[`f${i}`] = member(depth, noSync, () => pads++);
    if (!isUnion && depth === 0 && r.chance(0.08)) fields.tail = t.flex(element(depth, noSync, 0));
    const name = tag(isUnion ? "U" : "S");
    try {
      return isUnion ? union(name, fields, options2) : struct(name, fields, options2);
    } catch {
      // Only unnamed bitfields: add a named member first, as C requires.
      const named = { named: t.u8, ...fields };
      return isUnion ? union(name, named, options2) : struct(name, named, options2);
    }
  };

  const element = (depth: number, noSync: boolean, arrayDepth: number): TypeSpec => {
    const roll = r.int(0, 99);
    if (roll < 45) return r.pick(SCALARS);
    if (roll < 52) return t.char(r.int(1, 20));
    if (roll < 60 && arrayDepth < 2) return t.array(element(depth, noSync, arrayDepth + 1), r.int(1, 4));
    if (roll < 70 && depth < 2) return record(depth + 1, noSync);
    if (roll < 78) return randomEnum();
    if (roll < 86 && !noSync) return t.atomic(r.pick(ATOMICS));
    if (roll < 90 && !noSync && options.libc) return r.pick(LIBC);
    return r.pick(SCALARS);
  };

  const member = (depth: number, noSync: boolean, pad: () => number): TypeSpec => {
    const roll = r.int(0, 99);
    if (roll < 30) {
      if (r.chance(0.1)) {
        const e = randomEnum();
        const values = Object.values(e.members);
        const signed = values.some((v) => v < 0);
        const need = Math.max(
          ...values.map((v) =>
            v < 0 ? Math.ceil(Math.log2(-v)) + 1 : Math.ceil(Math.log2(v + 1)) + (signed ? 1 : 0),
          ),
          1,
        );
        return t.bits(e, r.int(need, 32));
      }
      const longBits = options.longBits ?? 32;
      const [type, bits] = r.chance(0.1)
        ? r.pick([
            [t.long, longBits],
            [t.size_t, longBits],
          ] as const)
        : r.pick(BIT_TYPES);
      if (r.chance(0.25)) {
        pad();
        return t.pad(type, r.chance(0.5) ? 0 : r.int(0, bits));
      }
      return t.bits(type, r.int(1, bits));
    }
    if (roll < 38) return t.align(r.pick([1, 2, 4, 8, 16, 32]), element(depth, noSync, 0));
    return element(depth, noSync, 0);
  };

  return record(0, false);
}
