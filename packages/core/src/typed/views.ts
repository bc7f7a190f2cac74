import type { Segment } from "../segment.ts";

/**
 * Every typed-array view generated accessors read through, made once per segment and shared by all accessor
 * objects over it. Aligned fields index these arrays with offset literals (`this.$v.f64[(this.$base + 8) >>> 3]`);
 * fields that `packed` leaves misaligned go through `dv` (little-endian: every shmkit target is).
 *
 * Safety: the views cover exactly the mapping. After `segment.close()` they are detached (length 0): reads give
 * `undefined` and writes are ignored, but nothing touches unmapped memory.
 */
export class Views {
  /** The segment the views cover. */
  readonly segment: Segment;
  /** `segment.buffer`, whole. */
  readonly buffer: ArrayBuffer;
  /** `uint8_t` (and `char`) fields. */
  readonly u8: Uint8Array;
  /** `int8_t` fields. */
  readonly i8: Int8Array;
  /** `uint16_t` fields, indexed by offset / 2. */
  readonly u16: Uint16Array;
  /** `int16_t` fields, indexed by offset / 2. */
  readonly i16: Int16Array;
  /** `uint32_t` fields, indexed by offset / 4. */
  readonly u32: Uint32Array;
  /** `int32_t` fields, indexed by offset / 4. */
  readonly i32: Int32Array;
  /** `float` fields, indexed by offset / 4. */
  readonly f32: Float32Array;
  /** `double` fields, indexed by offset / 8. */
  readonly f64: Float64Array;
  /** `int64_t` fields, indexed by offset / 8. */
  readonly i64: BigInt64Array;
  /** `uint64_t` fields, indexed by offset / 8. */
  readonly u64: BigUint64Array;
  /** Misaligned (packed) fields, little-endian. */
  readonly dv: DataView;

  constructor(segment: Segment) {
    const buffer = segment.buffer;
    const n = buffer.byteLength;
    this.segment = segment;
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.i8 = new Int8Array(buffer);
    // A segment's size need not be a multiple of 8; the wider views stop at the last whole element. Division, not
    // `>>>`: a 4 GiB segment's byte length is 2^32, which a 32-bit shift reads as 0 (empty views).
    const n2 = Math.floor(n / 2);
    const n4 = Math.floor(n / 4);
    const n8 = Math.floor(n / 8);
    this.u16 = new Uint16Array(buffer, 0, n2);
    this.i16 = new Int16Array(buffer, 0, n2);
    this.u32 = new Uint32Array(buffer, 0, n4);
    this.i32 = new Int32Array(buffer, 0, n4);
    this.f32 = new Float32Array(buffer, 0, n4);
    this.f64 = new Float64Array(buffer, 0, n8);
    this.i64 = new BigInt64Array(buffer, 0, n8);
    this.u64 = new BigUint64Array(buffer, 0, n8);
    this.dv = new DataView(buffer);
  }
}

const cache = new WeakMap<Segment, Views>();

/** The views over `segment`, made on first use and cached for the segment's life. */
export function viewsOf(segment: Segment): Views {
  let views = cache.get(segment);
  if (views === undefined || views.buffer !== segment.buffer) {
    views = new Views(segment);
    cache.set(segment, views);
  }
  return views;
}
