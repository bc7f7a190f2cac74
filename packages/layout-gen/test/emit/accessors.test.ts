import { describe, expect, test } from "bun:test";
import { Segment, ShmArgumentError } from "@shmkit/core";
import { hostTarget } from "@shmkit/core/targets";
import { hostFixtureLayouts, hostLayouts } from "./fixtures/host.ts";
import { offsetOf } from "./fixtures/layouts.ts";

// The host's accessors (they refuse to run on another target). Shared's offsets depend on the target (its mutex is
// 40 bytes on x86_64 and 48 on aarch64), so they come from the hand-written layout; the other structs are alike.
const { Kinds, Packed, Point, Shared, State, Word } = hostLayouts;
const SHARED = hostFixtureLayouts.Shared;
const at = (name: string): number => offsetOf(SHARED, name);

function scratch(size = 4096): Segment {
  return Segment.anonymous({ size, label: "emit-accessors" });
}

describe("generated accessors (in one process)", () => {
  test("scalars of every kind round-trip, 64-bit integers as bigint", () => {
    using seg = scratch();
    const k = Kinds.attach(seg, 64);
    k.i8 = -5;
    k.u8 = 250;
    k.i16 = -30000;
    k.u16 = 60000;
    k.ok = true;
    k.i32 = -2_000_000_000;
    k.u32 = 4_000_000_000;
    k.i64 = -(2n ** 62n);
    k.u64 = 2n ** 64n - 1n;
    k.f32 = 1.5;
    expect([k.i8, k.u8, k.i16, k.u16, k.ok, k.i32, k.u32, k.i64, k.u64, k.f32]).toEqual([
      -5,
      250,
      -30000,
      60000,
      true,
      -2_000_000_000,
      4_000_000_000,
      -(2n ** 62n),
      2n ** 64n - 1n,
      1.5,
    ]);
    // And at the offsets C uses: read them back with a DataView.
    const dv = new DataView(seg.buffer, 64);
    expect(dv.getInt16(2, true)).toBe(-30000);
    expect(dv.getUint32(12, true)).toBe(4_000_000_000);
    expect(dv.getBigUint64(24, true)).toBe(2n ** 64n - 1n);
    expect(dv.getFloat32(32, true)).toBe(1.5);
  });

  test("the same field read through two accessors over the segment agrees (no private copies)", () => {
    using seg = scratch();
    const a = Shared.attach(seg, 0);
    const b = Shared.attach(seg, 0);
    a.shared_resource = 42;
    a.origin.y = 2.25;
    expect(b.shared_resource).toBe(42);
    expect(b.origin.y).toBe(2.25);
    expect(new DataView(seg.buffer).getFloat64(at("origin") + 8, true)).toBe(2.25);
  });

  test("nested structs and arrays are cached: the same object on every access", () => {
    using seg = scratch();
    const s = Shared.attach(seg, 0);
    expect(s.origin).toBe(s.origin);
    expect(s.samples).toBe(s.samples);
    const k = Kinds.attach(seg, 256);
    expect(k.points.get(1)).toBe(k.points.get(1));
    expect(k.grid.get(0)).toBe(k.grid.get(0));
  });

  test("aligned numeric arrays are typed arrays over the field; multi-dimensional arrays index by row", () => {
    using seg = scratch();
    const s = Shared.attach(seg, 0);
    expect(s.samples).toBeInstanceOf(Float64Array);
    expect(s.samples.length).toBe(8);
    s.samples[7] = 9.5;
    expect(new DataView(seg.buffer).getFloat64(at("samples") + 56, true)).toBe(9.5);
    const k = Kinds.attach(seg, 512);
    k.grid.get(1)[2] = -7;
    expect(new DataView(seg.buffer).getInt32(512 + 36 + (1 * 3 + 2) * 4, true)).toBe(-7);
    expect(k.grid.length).toBe(2);
    expect(k.grid.get(1).length).toBe(3);
    k.counts[1] = 123n;
    expect(k.counts[1]).toBe(123n);
  });

  test("arrays of structs and of strings: get by index, out-of-range index is a ShmArgumentError", () => {
    using seg = scratch();
    const k = Kinds.attach(seg, 0);
    k.points.get(1).x = 3;
    expect(new DataView(seg.buffer).getFloat64(64 + 16, true)).toBe(3);
    k.names.set(0, "abc");
    k.names.set(1, "1234567");
    expect([...k.names]).toEqual(["abc", "1234567"]);
    expect(() => k.points.get(2)).toThrow(ShmArgumentError);
    expect(() => k.names.get(-1)).toThrow(/Kinds\.names\[index\]: must be an integer from 0 to 1/);
    expect(() => k.names.set(1, "12345678")).toThrow(ShmArgumentError);
  });

  test("char[N]: UTF-8 with a NUL; a value over N-1 bytes throws and leaves the field unchanged", () => {
    using seg = scratch();
    const s = Shared.attach(seg, 0);
    s.label = "héllo";
    expect(s.label).toBe("héllo");
    expect([...seg.bytes.subarray(at("label"), at("label") + 7)]).toEqual([
      104, 0xc3, 0xa9, 108, 108, 111, 0,
    ]);
    s.label = "x".repeat(31);
    expect(s.label).toBe("x".repeat(31));
    expect(() => {
      s.label = "é".repeat(16); // 32 bytes: no room for the NUL
    }).toThrow(/Shared\.label: must be at most 31 UTF-8 bytes/);
    expect(s.label).toBe("x".repeat(31));
    s.label = "short";
    expect(seg.bytes.subarray(at("label") + 5, at("label") + 32).every((b) => b === 0)).toBe(true);
  });

  test("a char[N] filled by C without a NUL reads all N bytes", () => {
    using seg = scratch();
    seg.bytes.fill(0x61, at("label"), at("label") + 32);
    expect(Shared.attach(seg, 0).label).toBe("a".repeat(32));
  });

  test("bitfields: masking on set, sign extension for signed ones, neighbours untouched", () => {
    using seg = scratch();
    const k = Kinds.attach(seg, 0);
    k.lo = -3;
    k.mid = 1023;
    k.hi = 0xffff;
    expect([k.lo, k.mid, k.hi]).toEqual([-3, 1023, 0xffff]);
    k.mid = -1024;
    expect([k.lo, k.mid, k.hi]).toEqual([-3, -1024, 0xffff]);
    k.hi = 0x1_0005; // 17 bits into a 16-bit field: C keeps the low 16
    expect(k.hi).toBe(5);
    expect([k.lo, k.mid]).toEqual([-3, -1024]);
    // The bits where gcc puts them: lo in bits 0-4, mid in 5-15, hi in 16-31 of the unit at 112.
    const unit = new DataView(seg.buffer).getUint32(112, true);
    expect(unit).toBe(((5 << 16) | ((-1024 & 0x7ff) << 5) | (-3 & 0x1f)) >>> 0);
    k.wide = 2n ** 40n - 2n;
    k.on = true;
    expect(k.wide).toBe(2n ** 40n - 2n);
    expect(k.on).toBe(true);
    k.wide = 0n;
    expect(k.on).toBe(true);
  });

  test("bitfield in the issue's struct and the enum field", () => {
    using seg = scratch();
    const s = Shared.attach(seg, 0);
    s.flags = 0b1111;
    expect(s.flags).toBe(0b111);
    s.state = State.DONE;
    expect(s.state).toBe(7);
    expect(new DataView(seg.buffer).getUint32(at("state"), true)).toBe(7);
  });

  test("atomic fields go through Atomics and return the previous value", () => {
    using seg = scratch();
    const s = Shared.attach(seg, 0);
    expect(s.hits.add(5)).toBe(0);
    expect(s.hits.sub(2)).toBe(5);
    expect(s.hits.compareExchange(3, 10)).toBe(3);
    expect(s.hits.load()).toBe(10);
    expect(s.hits.compareExchange(3, 11)).toBe(10);
    expect(s.hits.load()).toBe(10);
    const k = Kinds.attach(seg, 1024);
    k.big.store(-(2n ** 60n));
    expect(k.big.add(1n)).toBe(-(2n ** 60n));
    expect(new DataView(seg.buffer).getBigInt64(1024 + 128, true)).toBe(-(2n ** 60n) + 1n);
  });

  test("packed: misaligned fields, nested struct, array and straddling bitfield land at C's offsets", () => {
    using seg = scratch();
    const p = Packed.attach(seg, 3); // alignment 1: any offset
    p.tag = 1;
    p.value = Math.PI;
    p.count = -9;
    p.where.x = 1.25;
    p.where.y = -2.5;
    p.pair.set(1, 0xdeadbeef);
    p.a = 0x55;
    p.b = 0x2a;
    const dv = new DataView(seg.buffer, 3);
    expect(dv.getFloat64(1, true)).toBe(Math.PI);
    expect(dv.getInt32(9, true)).toBe(-9);
    expect(dv.getFloat64(13 + 8, true)).toBe(-2.5);
    expect(dv.getUint32(29 + 4, true)).toBe(0xdeadbeef);
    expect(dv.getUint16(37, true) & 0x1fff).toBe((0x2a << 7) | 0x55);
    expect([p.value, p.count, p.where.x, p.pair.get(1), p.a, p.b]).toEqual([
      Math.PI,
      -9,
      1.25,
      0xdeadbeef,
      0x55,
      0x2a,
    ]);
  });

  test("a union's members alias the same bytes", () => {
    using seg = scratch();
    const w = Word.attach(seg, 8);
    w.f = 1;
    expect(w.halves[1]).toBe(0x3ff00000);
    expect(w.bytes[7]).toBe(0x3f);
  });

  test("attach() checks alignment and bounds before any access", () => {
    using seg = scratch(4096);
    expect(() => Shared.attach(seg, 4)).toThrow(/offset: must be a multiple of 8/);
    // 8 bytes short of the struct: aligned, but its end is outside the segment.
    expect(() => Shared.attach(seg, 4096 - SHARED.size + 8)).toThrow(
      `must leave the ${SHARED.size} bytes of Shared inside the 4096-byte segment`,
    );
    expect(Shared.attach(seg, 4096 - SHARED.size)).toBeInstanceOf(Shared);
    expect(() => Point.attach(seg, -8)).toThrow(ShmArgumentError);
    expect(Point.attach(seg, 4096 - 16)).toBeInstanceOf(Point);
  });

  test("static facts and the layout as data", () => {
    expect([Shared.TARGET, Shared.SIZE, Shared.ALIGN, Shared.FINGERPRINT, Shared.NAME]).toEqual([
      hostTarget().name,
      SHARED.size,
      8,
      "fixture-shared-v1",
      "Shared",
    ]);
    expect(Shared.LAYOUT.fields.map((f) => f.name)).toContain("samples");
    expect(Shared.SYNC).toEqual([
      { field: "Shared.mutex", offset: 0, type: "pthread_mutex_t" },
      { field: "Shared.cond", offset: at("cond"), type: "pthread_cond_t" },
    ]);
  });
});
