import { describe, expect, test } from "bun:test";
import { fitUtf8, ShmArgumentError } from "../../src/index.ts";
import {
  HandleArray,
  readBits,
  readBitsBig,
  readCString,
  UnalignedArray,
  writeBits,
  writeBitsBig,
  writeCString,
} from "../../src/runtime.ts";

/** A reference for bitfield access: the bytes as one little-endian bigint. */
function asBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i] as number);
  return v;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("C strings", () => {
  test("writeCString NUL-terminates, zero-fills the rest, and readCString stops at the NUL", () => {
    const u8 = new Uint8Array(16).fill(0xff);
    writeCString(u8, 2, 8, "añb", "s.name");
    expect([...u8.subarray(0, 12)]).toEqual([0xff, 0xff, 0x61, 0xc3, 0xb1, 0x62, 0, 0, 0, 0, 0xff, 0xff]);
    expect(readCString(u8, 2, 8)).toBe("añb");
  });

  test("a value that leaves no room for the NUL throws and writes nothing", () => {
    const u8 = new Uint8Array(8);
    writeCString(u8, 0, 4, "abc", "f");
    expect(() => writeCString(u8, 0, 4, "abcd", "f")).toThrow(/f: must be at most 3 UTF-8 bytes/);
    expect(() => writeCString(u8, 0, 4, "a€", "f")).toThrow(ShmArgumentError); // 4 bytes
    expect(readCString(u8, 0, 4)).toBe("abc");
  });

  test("embedded NUL and non-strings are refused", () => {
    const u8 = new Uint8Array(8);
    expect(() => writeCString(u8, 0, 8, "a\0b", "f")).toThrow(/must not contain NUL/);
    expect(() => writeCString(u8, 0, 8, 5 as unknown as string, "f")).toThrow(/f: must be a string, got 5/);
  });

  test("fitUtf8 cuts at a character boundary, never inside a multi-byte character or surrogate pair", () => {
    expect(fitUtf8("héllo", 2)).toBe("h");
    expect(fitUtf8("héllo", 3)).toBe("hé");
    expect(fitUtf8("a😀b", 4)).toBe("a");
    expect(fitUtf8("a😀b", 5)).toBe("a😀");
    expect(fitUtf8("abc", 10)).toBe("abc");
    const u8 = new Uint8Array(6);
    writeCString(u8, 0, 6, fitUtf8("€€€", 5), "f"); // always fits once cut to N-1 bytes
    expect(readCString(u8, 0, 6)).toBe("€");
  });
});

describe("byte-wise bitfields", () => {
  test("readBits/writeBits agree with a bigint reference for random positions, widths and signs", () => {
    const rand = seeded(42);
    for (let n = 0; n < 2000; n++) {
      const bytes = new Uint8Array(12);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
      const before = asBigInt(bytes);
      const byte = Math.floor(rand() * 3);
      const bit = Math.floor(rand() * 8);
      const width = 1 + Math.floor(rand() * 32);
      const first = BigInt(byte * 8 + bit);
      const mask = (1n << BigInt(width)) - 1n;
      const raw = (before >> first) & mask;
      expect(readBits(bytes, byte, bit, width, false)).toBe(Number(raw));
      expect(readBits(bytes, byte, bit, width, true)).toBe(Number(BigInt.asIntN(width, raw)));
      const value = Math.floor(rand() * 2 ** 33) - 2 ** 32;
      writeBits(bytes, byte, bit, width, value);
      const expected = (before & ~(mask << first)) | ((BigInt.asUintN(width, BigInt(value)) & mask) << first);
      expect(asBigInt(bytes)).toBe(expected);
    }
  });

  test("readBitsBig/writeBitsBig handle 33 to 64 bits", () => {
    const rand = seeded(7);
    for (let n = 0; n < 300; n++) {
      const bytes = new Uint8Array(12);
      for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
      const before = asBigInt(bytes);
      const bit = Math.floor(rand() * 8);
      const width = 33 + Math.floor(rand() * 32);
      const mask = (1n << BigInt(width)) - 1n;
      const first = BigInt(8 + bit);
      expect(readBitsBig(bytes, 1, bit, width, false)).toBe((before >> first) & mask);
      expect(readBitsBig(bytes, 1, bit, width, true)).toBe(BigInt.asIntN(width, (before >> first) & mask));
      writeBitsBig(bytes, 1, bit, width, -5n);
      expect(asBigInt(bytes)).toBe((before & ~(mask << first)) | (BigInt.asUintN(width, -5n) << first));
    }
  });
});

describe("arrays", () => {
  test("UnalignedArray reads and writes little-endian at any offset and checks its index", () => {
    const buf = new ArrayBuffer(32);
    const a = new UnalignedArray(new DataView(buf), 3, 2, "f64", "P.xs");
    a.set(1, -1.75);
    expect(new DataView(buf).getFloat64(11, true)).toBe(-1.75);
    expect(a.get(1)).toBe(-1.75);
    const other = new ArrayBuffer(32);
    const b = new UnalignedArray(new DataView(other), 1, 3, "i64", "P.ns");
    b.set(2, -3n);
    expect([...b]).toEqual([0n, 0n, -3n]);
    expect(new DataView(other).getBigInt64(17, true)).toBe(-3n);
    expect(() => a.get(2)).toThrow(/P\.xs\[index\]: must be an integer from 0 to 1, got 2/);
    expect(() => a.get(0.5)).toThrow(ShmArgumentError);
  });

  test("HandleArray makes each element once, at base + index * stride", () => {
    const made: number[] = [];
    const arr = new HandleArray(
      100,
      3,
      16,
      (at) => {
        made.push(at);
        return { at };
      },
      "S.items",
    );
    expect(arr.get(2)).toBe(arr.get(2));
    expect(arr.get(0).at).toBe(100);
    expect(made).toEqual([132, 100]);
    expect([...arr].map((e) => e.at)).toEqual([100, 116, 132]);
    expect(() => arr.get(3)).toThrow(ShmArgumentError);
  });
});
