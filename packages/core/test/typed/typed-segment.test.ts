import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { Mutex, Segment, ShmArgumentError, ShmError, TypedSegment } from "../../src/index.ts";
import {
  dataOffsetFor,
  type FieldDigest,
  fieldNameHash,
  HEADER,
  HEADER_FIELD,
  SHMKIT_MAGIC,
  type SyncField,
  type Views,
} from "../../src/runtime.ts";
import { hostTarget } from "../../src/targets/index.ts";
import { errorOf, ROBUST_IF_SUPPORTED, uniqueName } from "../helpers.ts";

// `struct Counter { pthread_mutex_t lock; int32_t count; }` on this host: pthread_mutex_t is 40 bytes on glibc
// x86_64 and 48 on aarch64, so `count` follows it and the struct is padded to the mutex's 8-byte alignment.
const MUTEX_SIZE = hostTarget().libcTypes.pthread_mutex_t.size;
const COUNT_AT = MUTEX_SIZE;

// A hand-written accessor class shaped like generated code: a counter and a mutex, so that the runtime is tested
// on its own, without the emitter. (The emitter's own output is tested in packages/layout-gen/test/emit.)
class Counter {
  static readonly NAME = "Counter";
  static readonly TARGET: string = hostTarget().name;
  static readonly SIZE = Math.ceil((COUNT_AT + 4) / 8) * 8;
  static readonly ALIGN = 8;
  static readonly FINGERPRINT = "counter-test-v1";
  static readonly SYNC: readonly SyncField[] = [
    { field: "Counter.lock", offset: 0, type: "pthread_mutex_t" },
  ];
  static readonly FIELDS: readonly FieldDigest[] = [
    { name: "lock", offset: 0, size: MUTEX_SIZE, typeHash: 1 },
    { name: "count", offset: COUNT_AT, size: 4, typeHash: 2 },
  ];
  readonly $v: Views;
  readonly $base: number;
  constructor(views: Views, base: number) {
    this.$v = views;
    this.$base = base;
  }
  get count(): number {
    return this.$v.i32[(this.$base + COUNT_AT) >>> 2] as number;
  }
  set count(value: number) {
    this.$v.i32[(this.$base + COUNT_AT) >>> 2] = value;
  }
}

class Foreign {
  static readonly NAME = "Foreign";
  static readonly TARGET =
    hostTarget().name === "aarch64-linux-gnu" ? "x86_64-linux-gnu" : "aarch64-linux-gnu";
  static readonly SIZE = 8;
  static readonly ALIGN = 8;
  static readonly FINGERPRINT = "foreign";
  static readonly SYNC: readonly SyncField[] = [];
  static readonly FIELDS: readonly FieldDigest[] = [];
  readonly what = "an accessor laid out for another target";
}

describe("TypedSegment", () => {
  test("create() writes the header after init and marks it ready; the struct sits at an aligned offset", () => {
    const name = uniqueName("typed");
    using shm = TypedSegment.create(Counter, name, {
      ...ROBUST_IF_SUPPORTED,
      init: (c) => (c.count = 41),
    });
    expect(shm.offset).toBe(dataOffsetFor(8, 2));
    expect(shm.offset % 16).toBe(0);
    expect(shm.segment.size).toBe(shm.offset + Counter.SIZE);
    const dv = new DataView(shm.segment.buffer);
    expect(dv.getUint32(HEADER.magic, true)).toBe(SHMKIT_MAGIC);
    expect(dv.getUint32(HEADER.ready, true)).toBe(2);
    expect(dv.getUint32(HEADER.dataSize, true)).toBe(Counter.SIZE);
    expect(
      new TextDecoder().decode(shm.segment.bytes.subarray(HEADER.fingerprint, HEADER.fingerprint + 15)),
    ).toBe("counter-test-v1");
    using again = TypedSegment.open(Counter, name, { timeoutMs: 1000 });
    expect(again.data.count).toBe(41);
  });

  test("create() initialises pthread fields as process-shared mutexes", () => {
    const name = uniqueName("typed-mutex");
    using shm = TypedSegment.create(Counter, name, ROBUST_IF_SUPPORTED);
    // glibc keeps the mutex kind at offset 16 (x86_64 and aarch64), musl at 0; bit 128 is the pshared bit in both.
    const kindAt = hostTarget().libc === "musl" ? 0 : 16;
    expect(new DataView(shm.segment.buffer).getInt32(shm.offset + kindAt, true) & 128).toBe(128);
  });

  test("create() makes the mutexes robust unless told robust: false; without robust lists it says ENOTSUP", () => {
    const plain = uniqueName("typed-plain");
    using a = TypedSegment.create(Counter, plain, { robust: false });
    expect(Mutex.at(a.segment, a.offset).robust).toBe(false);
    const name = uniqueName("typed-robust");
    if (Mutex.robustSupported) {
      using b = TypedSegment.create(Counter, name);
      expect(Mutex.at(b.segment, b.offset).robust).toBe(true);
    } else {
      const error = errorOf(() => TypedSegment.create(Counter, name));
      expect(error).toBeInstanceOf(ShmError);
      expect((error as ShmError).code).toBe("ENOTSUP");
      expect(() => Segment.open(name)).toThrow(/ENOENT/);
    }
    expect(() => TypedSegment.create(Counter, name, { robust: 1 as unknown as boolean })).toThrow(
      ShmArgumentError,
    );
  });

  test("openAsync() waits while the segment is still empty (its creator between shm_open and ftruncate)", async () => {
    const name = uniqueName("typed-empty");
    // What an opener can see for a moment: the name exists, with no bytes yet.
    writeFileSync(`/dev/shm${name}`, "");
    const opening = TypedSegment.openAsync(Counter, name, { timeoutMs: 10_000 });
    await Bun.sleep(100);
    Segment.unlink(name);
    using made = TypedSegment.create(Counter, name, { ...ROBUST_IF_SUPPORTED, init: (c) => (c.count = 5) });
    using opened = await opening;
    expect(opened.data.count).toBe(5);
    expect(made.data.count).toBe(5);
    // With no time to wait, an empty segment is ESIZE at once, as before.
    const empty = uniqueName("typed-empty-now");
    writeFileSync(`/dev/shm${empty}`, "");
    expect(errorOf(() => TypedSegment.open(Counter, empty, { timeoutMs: 0 })).code).toBe("ESIZE");
  });

  test("a failing init unlinks the half-made segment", () => {
    const name = uniqueName("typed-fail");
    expect(() =>
      TypedSegment.create(Counter, name, {
        ...ROBUST_IF_SUPPORTED,
        init: () => {
          throw new Error("boom");
        },
      }),
    ).toThrow("boom");
    expect(Segment.exists(name)).toBe(false);
  });

  test("layouts for another target are refused before any syscall", () => {
    const name = uniqueName("typed-foreign");
    expect(() => TypedSegment.create(Foreign, name)).toThrow(ShmArgumentError);
    expect(() => TypedSegment.create(Foreign, name)).toThrow(/Foreign\.TARGET: must be this host's target/);
    expect(Segment.exists(name)).toBe(false);
  });

  test("attach() to a closed segment is ECLOSED, not a crash", () => {
    const seg = Segment.anonymous({ size: 4096 });
    seg.close();
    let error: unknown;
    try {
      TypedSegment.attach(Counter, seg, 0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShmError);
    expect((error as ShmError).code).toBe("ECLOSED");
  });

  test("open() of a missing segment is ENOENT at once", () => {
    const name = uniqueName("typed-missing");
    expect(() => TypedSegment.open(Counter, name, { timeoutMs: 60_000 })).toThrow(/ENOENT/);
  }, 30_000);

  test("a bad timeoutMs is an argument error", () => {
    expect(() => TypedSegment.open(Counter, "/x", { timeoutMs: -1 })).toThrow(ShmArgumentError);
  });

  test("create() refuses a struct whose offset (alignment, field table) the header's 16 bits cannot hold", () => {
    class Huge {
      static readonly NAME = "Huge";
      static readonly TARGET: string = hostTarget().name;
      static readonly SIZE = 65536;
      static readonly ALIGN = 65536;
      static readonly FINGERPRINT = "huge-align";
      static readonly SYNC: readonly SyncField[] = [];
      static readonly FIELDS: readonly FieldDigest[] = [];
      readonly what = "a struct aligned to 64 KiB";
    }
    const name = uniqueName("typed-huge");
    let error: unknown;
    try {
      TypedSegment.create(Huge, name).close();
      // Before the fix create() succeeded, and this open() refused its own segment as corrupt.
      TypedSegment.open(Huge, name, { timeoutMs: 0 }).close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShmArgumentError);
    expect((error as Error).message).toContain("Huge.ALIGN: must leave the struct's offset below 65536");
    expect(Segment.exists(name)).toBe(false);
    // So do 4084 fields, whose table in the header would push the struct past 65535.
    class Wide {
      static readonly NAME = "Wide";
      static readonly TARGET: string = hostTarget().name;
      static readonly SIZE = 4084;
      static readonly ALIGN = 1;
      static readonly FINGERPRINT = "wide";
      static readonly SYNC: readonly SyncField[] = [];
      static readonly FIELDS: readonly FieldDigest[] = Array.from({ length: 4084 }, (_, i) => ({
        name: `f${i}`,
        offset: i,
        size: 1,
        typeHash: 0,
      }));
      readonly what = "a struct of 4084 one-byte fields";
    }
    const wide = uniqueName("typed-wide");
    expect(() => TypedSegment.create(Wide, wide)).toThrow("4084 fields put it at 65536");
    expect(Segment.exists(wide)).toBe(false);
  });

  test("a different layout is refused naming both targets and the first field that differs", () => {
    const name = uniqueName("typed-diff");
    using shm = TypedSegment.create(Counter, name, { robust: false });
    const dv = new DataView(shm.segment.buffer);
    expect(
      new TextDecoder()
        .decode(shm.segment.bytes.subarray(HEADER.target, HEADER.target + 32))
        .replace(/\0+$/, ""),
    ).toBe(hostTarget().name);
    expect(dv.getUint32(HEADER.fieldCount, true)).toBe(2);
    expect(dv.getUint32(HEADER.fields + HEADER.fieldBytes + HEADER_FIELD.offset, true)).toBe(COUNT_AT);
    expect(dv.getUint32(HEADER.fields + HEADER_FIELD.nameHash, true)).toBe(fieldNameHash("lock"));
    class Moved {
      static readonly NAME = "Counter";
      static readonly TARGET: string = hostTarget().name;
      static readonly SIZE = Counter.SIZE + 8;
      static readonly ALIGN = 8;
      static readonly FINGERPRINT = "counter-test-moved";
      static readonly SYNC: readonly SyncField[] = [];
      static readonly FIELDS: readonly FieldDigest[] = [
        { name: "lock", offset: 0, size: MUTEX_SIZE, typeHash: 1 },
        { name: "count", offset: COUNT_AT + 4, size: 4, typeHash: 2 },
      ];
      readonly what = "Counter with count 4 bytes further on";
    }
    // The creator's target as another process would have written it.
    shm.segment.bytes.fill(0, HEADER.target, HEADER.target + HEADER.targetBytes);
    shm.segment.bytes.set(new TextEncoder().encode("i686-linux-gnu"), HEADER.target);
    const error = errorOf(() => TypedSegment.open(Moved, name, { timeoutMs: 0 }));
    expect(error.code).toBe("EFINGERPRINT");
    expect(error.message).toContain(
      "struct Counter laid out for i686-linux-gnu with fingerprint counter-test-v1",
    );
    expect(error.message).toContain(
      `expects Counter laid out for ${hostTarget().name} with fingerprint counter-test-moved`,
    );
    expect(error.message).toContain(
      `field count is at offset ${COUNT_AT + 4} on ${hostTarget().name} and ${COUNT_AT} on i686-linux-gnu`,
    );
    // A field count that runs past the struct's offset is a corrupt table, said as such, still refused.
    dv.setUint32(HEADER.fieldCount, 1000, true);
    expect(errorOf(() => TypedSegment.open(Moved, name, { timeoutMs: 0 })).message).toContain(
      "the segment's field table is corrupt",
    );
  });
});
