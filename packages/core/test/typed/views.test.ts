import { describe, expect, test } from "bun:test";
import { MAX_SEGMENT_SIZE, Segment, viewsOf } from "../../src/index.ts";
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
