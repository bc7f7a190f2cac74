/**
 * Known C ABI traps, each as its own test: the engine's numbers are those the psABI documents give, and where this
 * machine has a compiler for the target the same struct is compiled (compile-only) and compared field by field.
 */
import { describe, expect, test } from "bun:test";
import type { TargetName } from "@shmkit/core/targets";
import { layoutOf, type RecordDef, SchemaError, struct, t, union } from "../../src/index.ts";
import { compilerFor, disagreements } from "./compiler.ts";

const offsets = (def: RecordDef, target: TargetName) => {
  const l = layoutOf(def, { target });
  return {
    size: l.size,
    align: l.align,
    at: Object.fromEntries(l.fields.map((f) => [f.name ?? "-", f.offset])),
  };
};

/** Registers `name` for every target in `expected`, checking the engine and then the target's compiler. */
function trap(
  name: string,
  def: RecordDef,
  expected: Partial<Record<TargetName, { size: number; align: number; at?: Record<string, number> }>>,
): void {
  describe(name, () => {
    for (const [target, want] of Object.entries(expected) as [
      TargetName,
      { size: number; align: number; at?: Record<string, number> },
    ][]) {
      test(`${target}: layoutOf() gives size ${want.size}, align ${want.align}`, () => {
        const got = offsets(def, target);
        expect({ size: got.size, align: got.align }).toEqual({ size: want.size, align: want.align });
        for (const [field, offset] of Object.entries(want.at ?? {})) expect(got.at[field]).toBe(offset);
      });
      const tc = compilerFor(target);
      test.skipIf(tc.missing !== undefined)(
        `${target}: ${tc.compiler.join(" ")} agrees${tc.missing ? ` (skipped: ${tc.missing})` : ""}`,
        async () => {
          expect(await disagreements([def], target)).toEqual([]);
        },
        60_000,
      );
    }
  });
}

trap(
  "i386 long long and double are 4-aligned inside structs",
  struct("TrapI386Align", { c: t.char_, ll: t.long_long, d: t.f64, i64: t.i64 }),
  {
    "i686-linux-gnu": { size: 28, align: 4, at: { ll: 4, d: 12, i64: 20 } },
    "x86_64-linux-gnu": { size: 32, align: 8, at: { ll: 8, d: 16, i64: 24 } },
    "aarch64-linux-gnu": { size: 32, align: 8, at: { ll: 8, d: 16, i64: 24 } },
  },
);

trap(
  "i386 _Atomic long long is 8-aligned even though long long is not",
  struct("TrapI386Atomic", { c: t.char_, n: t.atomic(t.long_long), tail: t.char_ }),
  { "i686-linux-gnu": { size: 24, align: 8, at: { n: 8, tail: 16 } } },
);

trap(
  "long double: 16/16 on x86_64 and AArch64 Linux, 12/4 on i386, 8/8 on Apple arm64, 16/16 on Apple x86_64",
  struct("TrapLongDouble", { c: t.char_, x: t.long_double }),
  {
    "x86_64-linux-gnu": { size: 32, align: 16, at: { x: 16 } },
    "aarch64-linux-gnu": { size: 32, align: 16, at: { x: 16 } },
    "i686-linux-gnu": { size: 16, align: 4, at: { x: 4 } },
    "aarch64-apple-darwin": { size: 16, align: 8, at: { x: 8 } },
    "x86_64-apple-darwin": { size: 32, align: 16, at: { x: 16 } },
  },
);

trap(
  "a zero-width bitfield aligns the next field, and on AAPCS64 (not SysV, not Apple arm64) the struct too",
  struct("TrapZeroWidth", { a: t.char_, _0: t.pad(t.int, 0), b: t.char_ }),
  {
    "x86_64-linux-gnu": { size: 5, align: 1, at: { b: 4 } },
    "i686-linux-gnu": { size: 5, align: 1, at: { b: 4 } },
    "aarch64-linux-gnu": { size: 8, align: 4, at: { b: 4 } },
    "aarch64-linux-musl": { size: 8, align: 4, at: { b: 4 } },
    "aarch64-apple-darwin": { size: 5, align: 1, at: { b: 4 } },
  },
);

trap(
  "an unnamed bitfield raises the struct's alignment on AAPCS64 only",
  struct("TrapUnnamed", { a: t.char_, _gap: t.pad(t.long_long, 4) }),
  {
    "x86_64-linux-gnu": { size: 2, align: 1 },
    "aarch64-linux-gnu": { size: 8, align: 8 },
    "aarch64-apple-darwin": { size: 2, align: 1 },
  },
);

trap(
  "a zero-width bitfield in a packed struct still aligns the next field",
  struct("TrapPackedZero", { a: t.char_, _0: t.pad(t.int, 0), b: t.char_ }, { packed: true }),
  {
    "x86_64-linux-gnu": { size: 5, align: 1, at: { b: 4 } },
    "aarch64-linux-gnu": { size: 8, align: 4, at: { b: 4 } },
  },
);

trap(
  "packed and aligned(N) combine: members packed, the struct N-aligned and its size rounded to N",
  struct("TrapPackedAligned", { c: t.char_, x: t.int, y: t.i16 }, { packed: true, align: 8 }),
  {
    "x86_64-linux-gnu": { size: 8, align: 8, at: { x: 1, y: 5 } },
    "i686-linux-gnu": { size: 8, align: 8, at: { x: 1, y: 5 } },
  },
);

trap(
  "an aligned(N) field keeps its alignment inside a packed struct",
  struct("TrapPackedField", { c: t.char_, x: t.align(4, t.int), d: t.f64 }, { packed: true }),
  { "x86_64-linux-gnu": { size: 16, align: 4, at: { x: 4, d: 8 } } },
);

trap(
  "a bitfield that would straddle its type's storage unit starts the next one; packed, it does not",
  struct("TrapStraddle", {
    a: t.bits(t.u32, 30),
    b: t.bits(t.u32, 4),
    c: t.bits(t.u8, 6),
    d: t.bits(t.u8, 4),
  }),
  { "x86_64-linux-gnu": { size: 8, align: 4, at: { a: 0, b: 4, c: 5, d: 6 } } },
);

trap(
  "a packed struct puts bitfields at the next free bit",
  struct("TrapPackedBits", { a: t.bits(t.u32, 30), b: t.bits(t.u32, 4), c: t.u8 }, { packed: true }),
  { "x86_64-linux-gnu": { size: 6, align: 1, at: { a: 0, b: 3, c: 5 } } },
);

trap(
  "a flexible array member adds no size but can add tail alignment",
  struct("TrapFlex", { n: t.u32, items: t.flex(t.f64) }),
  {
    "x86_64-linux-gnu": { size: 8, align: 8, at: { items: 8 } },
    "i686-linux-gnu": { size: 4, align: 4, at: { items: 4 } },
  },
);

trap(
  "a union is as large as its largest member rounded to its alignment",
  union("TrapUnion", { c: t.char(13), d: t.f64, bits: t.bits(t.u64, 33) }),
  { "x86_64-linux-gnu": { size: 16, align: 8 }, "i686-linux-gnu": { size: 16, align: 4 } },
);

trap(
  "pthread and semaphore types have each libc's sizes",
  struct("TrapLibc", {
    c: t.char_,
    m: t.pthread_mutex,
    cv: t.pthread_cond,
    rw: t.pthread_rwlock,
    s: t.sem,
    end: t.char_,
  }),
  {
    "x86_64-linux-gnu": { size: 192, align: 8, at: { m: 8, cv: 48, rw: 96, s: 152, end: 184 } },
    "aarch64-linux-gnu": { size: 200, align: 8, at: { m: 8, cv: 56, rw: 104, s: 160, end: 192 } },
    "i686-linux-gnu": { size: 128, align: 4, at: { m: 4, cv: 28, rw: 76, s: 108, end: 124 } },
    "x86_64-linux-musl": { size: 192, align: 8, at: { m: 8, cv: 48, rw: 96, s: 152, end: 184 } },
  },
);

trap(
  "C names resolve per target: long and size_t follow the pointer size",
  struct("TrapCNames", { c: t.char_, l: t.long, z: t.size_t, p: t.ptrdiff_t }),
  {
    "x86_64-linux-gnu": { size: 32, align: 8, at: { l: 8, z: 16, p: 24 } },
    "i686-linux-gnu": { size: 16, align: 4, at: { l: 4, z: 8, p: 12 } },
  },
);

describe("plain char signedness", () => {
  // A struct whose size tells the compiler's answer: 1 byte when `(char)-1 < 0`, 2 when char is unsigned.
  const source = "struct CharSign { char probe[(char)-1 < 0 ? 1 : 2]; };";
  const cases: [TargetName, boolean][] = [
    ["x86_64-linux-gnu", true],
    ["aarch64-linux-gnu", false],
    ["i686-linux-gnu", true],
    ["aarch64-linux-musl", false],
    ["aarch64-apple-darwin", true],
    ["x86_64-apple-darwin", true],
  ];
  for (const [target, signed] of cases) {
    test(`${target}: t.char_ is ${signed ? "i8 (signed)" : "u8 (unsigned)"}`, () => {
      const field = layoutOf(struct("CharOnly", { c: t.char_ }), { target }).fields[0];
      expect(field?.type).toEqual({ kind: "scalar", scalar: signed ? "i8" : "u8", cType: "char" });
    });
    const tc = compilerFor(target);
    test.skipIf(tc.missing !== undefined)(`${target}: ${tc.compiler.join(" ")} agrees`, async () => {
      const { probeLayouts } = await import("../../src/probe/index.ts");
      const result = await probeLayouts(source, [{ type: "struct CharSign" }], { compiler: tc.compiler });
      if (!result.ok) throw new Error(result.stderr);
      expect(result.types[0]?.size).toBe(signed ? 1 : 2);
    });
  }
});

describe("refusals where compilers disagree or atomics would be misaligned", () => {
  test("an 8-byte struct holding only an 8-byte _Atomic is refused on i686 (gcc 4-aligns it, clang 8-aligns it)", () => {
    const def = struct("OnlyAtomic64", { n: t.atomic(t.u64) });
    expect(() => layoutOf(def, { target: "i686-linux-gnu" })).toThrow(SchemaError);
    expect(() => layoutOf(def, { target: "i686-linux-gnu" })).toThrow(/OnlyAtomic64: .*align: 8/);
    expect(layoutOf(def, { target: "x86_64-linux-gnu" }).align).toBe(8);
  });
  const fixed = struct("OnlyAtomic64Aligned", { n: t.atomic(t.u64) }, { align: 8 });
  trap("with { align: 8 } the same struct is accepted on i686 and 8-aligned by gcc too", fixed, {
    "i686-linux-gnu": { size: 8, align: 8, at: { n: 0 } },
  });
  test("an atomic in a packed struct is refused, naming struct and field", () => {
    const def = struct("PackedAtomic", { c: t.u8, n: t.atomic(t.u32) }, { packed: true });
    expect(() => layoutOf(def, { target: "x86_64-linux-gnu" })).toThrow(
      "PackedAtomic.n: atomics and pthread objects",
    );
  });
});
