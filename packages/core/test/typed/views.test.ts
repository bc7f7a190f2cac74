import { describe, expect, test } from "bun:test";
import { MAX_SEGMENT_SIZE, Segment } from "../../src/index.ts";
import { readBits, readBitsBig, viewsOf, writeBits, writeBitsBig } from "../../src/runtime.ts";
import { uniqueName } from "../helpers.ts";

describe("Views", () => {
  test("over a segment of the largest size (4 GiB) every view spans it, so accessors read and write its last bytes", () => {
    // reserve: false leaves the object sparse: only the pages touched below take memory.
    using seg = Segment.create(uniqueName("views-4g"), { size: MAX_SEGMENT_SIZE, reserve: false });
    const v = viewsOf(seg);
    expect(v.u16.length).toBe(2 ** 31);
    expect(v.i32.length).toBe(2 ** 30);
    expect(v.f64.length).toBe(2 ** 29);
    expect(v.u64.length).toBe(2 ** 29);
    v.u32[2 ** 30 - 1] = 0xdeadbeef;
    expect(v.dv.getUint32(2 ** 32 - 4, true)).toBe(0xdeadbeef);
    v.f64[0] = 1.5;
    expect(v.dv.getFloat64(0, true)).toBe(1.5);
  });

  test("over a segment whose size is not a multiple of 8 the wide views stop at the last whole element", () => {
    using seg = Segment.anonymous({ size: 4099 });
    const v = viewsOf(seg);
    expect([v.u8.length, v.u16.length, v.u32.length, v.f64.length]).toEqual([4099, 2049, 1024, 512]);
  });
});

describe("byte-wise bitfields far into a segment", () => {
  test("readBits/writeBits and their bigint forms touch the bytes at a byte offset past 512 MiB, not bytes near 0", () => {
    // Past 2^29 bytes the bit position byte * 8 passes 2^32. Sparse (reserve: false): only two pages are touched.
    using seg = Segment.create(uniqueName("bits-far"), { size: 2 ** 30, reserve: false });
    const u8 = seg.bytes;
    const byte = 2 ** 29 + 5;
    writeBits(u8, byte, 3, 12, 0xabc);
    expect(u8[byte]).toBe((0xabc << 3) & 0xff);
    expect(u8[byte + 1]).toBe(0xabc >> 5);
    expect(readBits(u8, byte, 3, 12, false)).toBe(0xabc);
    writeBitsBig(u8, byte + 8, 1, 40, 0x12_3456_789an);
    expect(readBitsBig(u8, byte + 8, 1, 40, false)).toBe(0x12_3456_789an);
    expect(u8[byte + 8]).toBe((0x9a << 1) & 0xff);
    // The bytes a 32-bit wrap of the bit position would land on are untouched.
    expect(Array.from(u8.subarray(0, 32)).every((b) => b === 0)).toBe(true);
  });
});
