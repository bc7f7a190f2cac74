import { describe, expect, test } from "bun:test";
import { ShmArgumentError } from "@shmkit/core";
import { hostTarget, TARGET_NAMES, type TargetName } from "@shmkit/core/targets";
import { canonicalLayout, layoutOf, struct, t, union } from "../../src/index.ts";

const X64 = { target: "x86_64-linux-gnu" } as const;

describe("layoutOf() output", () => {
  test("holes name the field after them; tail padding is separate", () => {
    const l = layoutOf(struct("Holes", { a: t.u8, b: t.u32, c: t.u16, d: t.f64, e: t.u8 }), X64);
    expect(l.holes).toEqual([
      { offset: 1, size: 3, before: "b" },
      { offset: 10, size: 6, before: "d" },
    ]);
    expect(l.tailPadding).toBe(7);
    expect(l.size).toBe(32);
  });
  test("the padding before a flexible array member is a hole: every byte is a member, a hole or tail padding", () => {
    const l = layoutOf(struct("Flex", { n: t.u32, c: t.u8, d: t.flex(t.f64) }), X64);
    expect(l.holes).toEqual([{ offset: 5, size: 3, before: "d" }]);
    expect(l.tailPadding).toBe(0);
    const members = l.fields.reduce((n, f) => n + f.size, 0);
    const holes = l.holes.reduce((n, h) => n + h.size, 0);
    expect(members + holes + l.tailPadding).toBe(l.size);
  });
  test("a union has no holes, only tail padding after its largest member", () => {
    const l = layoutOf(union("U", { a: t.u8, b: t.char(5), c: t.u32 }), X64);
    expect([l.holes, l.tailPadding, l.size]).toEqual([[], 3, 8]);
  });
  test("bitfields give the byte of their first bit, the bit within it, and the bytes they touch", () => {
    const l = layoutOf(
      struct("Bits", { a: t.bits(t.u16, 3), b: t.bits(t.u16, 7), c: t.bits(t.u32, 20) }),
      X64,
    );
    expect(l.fields.map((f) => [f.name, f.offset, f.bitOffset, f.bitWidth, f.size])).toEqual([
      ["a", 0, 0, 3, 1],
      ["b", 0, 3, 7, 2],
      ["c", 1, 2, 20, 3],
    ]);
  });
  test("unnamed bitfields are listed with name undefined", () => {
    const l = layoutOf(struct("Pad", { a: t.bits(t.u8, 3), _skip: t.pad(t.u8, 2), b: t.bits(t.u8, 3) }), X64);
    expect(l.fields.map((f) => [f.name, f.bitOffset, f.bitWidth])).toEqual([
      ["a", 0, 3],
      [undefined, 3, 2],
      ["b", 5, 3],
    ]);
  });
  test("nested structs are laid out for the same target and included as records", () => {
    const Inner = struct("Inner", { d: t.f64 });
    const l = layoutOf(struct("Outer", { c: t.u8, inner: Inner }), { target: "i686-linux-gnu" });
    const inner = l.fields[1];
    expect(inner?.offset).toBe(4);
    expect(inner?.type.kind === "record" && inner.type.layout.target).toBe("i686-linux-gnu");
  });
  test("the host target is the default", () => {
    const def = struct("Host", { l: t.long, d: t.long_double });
    expect(layoutOf(def)).toEqual(layoutOf(def, { target: hostTarget().name }));
  });
  test("an unknown target is refused with an argument error", () => {
    expect(() => layoutOf(struct("T", { a: t.u8 }), { target: "sparc-sun-solaris" as never })).toThrow(
      /target: must be one of/,
    );
    expect(() => layoutOf(struct("T", { a: t.u8 }), { target: "sparc-sun-solaris" as never })).toThrow(
      ShmArgumentError,
    );
  });
  test("enums are unsigned int unless a member is negative", () => {
    const l = layoutOf(
      struct("E", { u: t.enum("Pos", { A: 0, B: 2 ** 32 - 1 }), s: t.enum("Neg", { M: -1 }) }),
      X64,
    );
    expect(l.fields.map((f) => f.type.kind === "enum" && f.type.scalar)).toEqual(["u32", "i32"]);
  });
});

describe("fingerprint", () => {
  const schema = () =>
    struct("Print", {
      a: t.u8,
      b: t.bits(t.u32, 5),
      c: t.array(t.f64, 2),
      n: struct("Nested", { x: t.i16 }),
    });

  test("is 32 hex digits and equal for equal schemas defined twice", () => {
    const one = layoutOf(schema(), X64).fingerprint;
    expect(one).toMatch(/^[0-9a-f]{32}$/);
    expect(layoutOf(schema(), X64).fingerprint).toBe(one);
  });
  test("is the same in another process", async () => {
    const here = layoutOf(schema(), X64).fingerprint;
    const script = `
      import { layoutOf, struct, t } from ${JSON.stringify(`${import.meta.dir}/../../src/index.ts`)};
      const def = struct("Print", { a: t.u8, b: t.bits(t.u32, 5), c: t.array(t.f64, 2), n: struct("Nested", { x: t.i16 }) });
      console.log(layoutOf(def, { target: "x86_64-linux-gnu" }).fingerprint);`;
    const proc = Bun.spawn([process.execPath, "-e", script], {
      stdout: "pipe",
      stderr: "pipe",
      timeout: 30_000,
    });
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(code).toBe(0);
    expect(out.trim()).toBe(here);
  });
  test("is the same on every target that places the bytes alike, and leaves the target's name out", () => {
    const def = struct("Same", { a: t.u32, b: t.char(12) });
    const prints = new Set(TARGET_NAMES.map((target) => layoutOf(def, { target }).fingerprint));
    expect(prints.size).toBe(1);
    // i686 aligns u64 and f64 members to 4, x86_64 to 8: where that moves no offset and no size, they agree.
    const fixed = struct("Fixed", { a: t.u64, b: t.f64, c: t.i32, d: t.i32 });
    const i686 = layoutOf(fixed, { target: "i686-linux-gnu" });
    const x64 = layoutOf(fixed, X64);
    expect(i686.align).not.toBe(x64.align);
    expect(i686.fingerprint).toBe(x64.fingerprint);
    expect(canonicalLayout(i686)).not.toContain("i686");
  });
  test("differs between targets where an offset, a size, a scalar kind or a libc ABI differs", () => {
    const pair = (def: ReturnType<typeof struct>, a: TargetName, b: TargetName) => [
      layoutOf(def, { target: a }).fingerprint,
      layoutOf(def, { target: b }).fingerprint,
    ];
    // b is at 4 on i686 and at 8 on x86_64.
    const [m1, m2] = pair(struct("Moves", { a: t.u32, b: t.u64 }), "i686-linux-gnu", "x86_64-linux-gnu");
    expect(m1).not.toBe(m2);
    // Same offsets, but 12 bytes on i686 (tail padding to 4) and 16 on x86_64 (to 8).
    const [s1, s2] = pair(struct("Tail", { a: t.u64, b: t.u32 }), "i686-linux-gnu", "x86_64-linux-gnu");
    expect(s1).not.toBe(s2);
    // Plain char is signed on x86_64 and unsigned on aarch64 Linux.
    const [c1, c2] = pair(struct("Chars", { c: t.char_ }), "x86_64-linux-gnu", "aarch64-linux-gnu");
    expect(c1).not.toBe(c2);
    // glibc and musl both make pthread_mutex_t 40/8 on x86_64, with different words inside.
    const locked = struct("Locked", { m: t.pthread_mutex });
    const glibc = layoutOf(locked, X64);
    const musl = layoutOf(locked, { target: "x86_64-linux-musl" });
    expect(glibc.size).toBe(musl.size);
    expect(glibc.fingerprint).not.toBe(musl.fingerprint);
  });
  test("changes with a field name, a type, a bit width, or a nested field", () => {
    const base = layoutOf(schema(), X64).fingerprint;
    const variants = [
      struct("Print", {
        a: t.u8,
        B: t.bits(t.u32, 5),
        c: t.array(t.f64, 2),
        n: struct("Nested", { x: t.i16 }),
      }),
      struct("Print", {
        a: t.i8,
        b: t.bits(t.u32, 5),
        c: t.array(t.f64, 2),
        n: struct("Nested", { x: t.i16 }),
      }),
      struct("Print", {
        a: t.u8,
        b: t.bits(t.u32, 6),
        c: t.array(t.f64, 2),
        n: struct("Nested", { x: t.i16 }),
      }),
      struct("Print", {
        a: t.u8,
        b: t.bits(t.u32, 5),
        c: t.array(t.f64, 2),
        n: struct("Nested", { y: t.i16 }),
      }),
    ];
    for (const v of variants) expect(layoutOf(v, X64).fingerprint).not.toBe(base);
  });
  test("ignores how C spells a type when the bytes are the same (long and int64_t on LP64)", () => {
    const a = layoutOf(struct("Spell", { v: t.long }), X64);
    const b = layoutOf(struct("Spell", { v: t.i64 }), X64);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(canonicalLayout(a)).toBe(canonicalLayout(b));
  });
});

describe("layoutOf() arguments", () => {
  test("something other than a struct() or union() is an argument error", () => {
    expect(() => layoutOf({} as never)).toThrow(ShmArgumentError);
    expect(() => layoutOf(t.i32 as never)).toThrow("def: must be a definition made by struct() or union()");
  });
});
