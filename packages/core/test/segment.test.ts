import { describe, expect, test } from "bun:test";
import { ftruncateSync } from "node:fs";
import { MAX_SEGMENT_SIZE, Segment, ShmArgumentError, ShmError } from "../src/index.ts";
import { growTo } from "../src/internal/grow.ts";
import { uniqueName } from "./helpers.ts";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as ShmError).code;
  }
  return undefined;
}

describe("Segment.create", () => {
  test("makes a zero-filled segment of the asked size with mode 0600", () => {
    const name = uniqueName();
    using seg = Segment.create(name, { size: 4096 });
    expect(seg.name).toBe(name);
    expect(seg.size).toBe(4096);
    expect(seg.readonly).toBe(false);
    expect(seg.bytes.every((b) => b === 0)).toBe(true);
    expect(seg.stat().mode).toBe(0o600);
    expect(Segment.exists(name)).toBe(true);
  });

  test("exclusive create of an existing name fails with EEXIST and the strerror text", () => {
    const name = uniqueName();
    using _first = Segment.create(name, { size: 64 });
    let error: unknown;
    try {
      Segment.create(name, { size: 64 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShmError);
    const e = error as ShmError;
    expect([e.code, e.errno, e.syscall, e.segment]).toEqual(["EEXIST", 17, "shm_open", name]);
    expect(e.message).toBe(`shm_open(${name}): EEXIST (File exists)`);
  });

  test("exclusive: false opens the existing segment and grows it, never shrinks it", () => {
    const name = uniqueName();
    using first = Segment.create(name, { size: 100 });
    first.bytes[5] = 7;
    using same = Segment.create(name, { size: 50, exclusive: false });
    expect(same.size).toBe(100);
    expect(same.bytes[5]).toBe(7);
    using grown = Segment.create(name, { size: 8192, exclusive: false });
    expect(grown.size).toBe(8192);
    expect(grown.bytes[5]).toBe(7);
    using fresh = Segment.create(uniqueName(), { size: 10, exclusive: false });
    expect(fresh.size).toBe(10);
  });

  test.each([0, -1, 1.5, Number.NaN, MAX_SEGMENT_SIZE + 1, 2 ** 60, "4096", undefined])(
    "refuses size %p with an argument error",
    (size) => {
      const name = uniqueName();
      expect(() => Segment.create(name, { size: size as number })).toThrow(ShmArgumentError);
      expect(() => Segment.create(name, { size: size as number })).toThrow(
        /^size: must be an integer from 1 to/,
      );
      expect(Segment.exists(name)).toBe(false);
    },
  );

  test.each([null, 4096, "big", [4096]])(
    "refuses options %p with an argument error, not a TypeError",
    (options) => {
      const name = uniqueName();
      expect(() => Segment.create(name, options as never)).toThrow(
        /^options: must be an object such as \{ size: 4096 \}/,
      );
      expect(() => Segment.open(name, options as never)).toThrow("options: must be an object or undefined");
      expect(() => Segment.anonymous(options as never)).toThrow(ShmArgumentError);
      expect(() => Segment.fromFd(0, options as never)).toThrow(ShmArgumentError);
      expect(Segment.exists(name)).toBe(false);
    },
  );

  test.each([-1, 0o1000, 1.5])("refuses mode %p", (mode) => {
    expect(() => Segment.create(uniqueName(), { size: 8, mode })).toThrow("mode: must be permission bits");
  });

  test("applies the mode exactly whatever the umask", () => {
    const old = process.umask(0o077);
    try {
      for (const mode of [0o644, 0o600, 0o640, 0o666, 0o400]) {
        using seg = Segment.create(uniqueName(), { size: 8, mode });
        expect(seg.stat().mode).toBe(mode);
      }
      process.umask(0o000);
      using seg = Segment.create(uniqueName(), { size: 8 });
      expect(seg.stat().mode).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });
});

describe("Segment.open", () => {
  test("takes the size from fstat", () => {
    const name = uniqueName();
    using _seg = Segment.create(name, { size: 12345 });
    using other = Segment.open(name);
    expect(other.size).toBe(12345);
  });

  test("of a missing segment fails with ENOENT", () => {
    const name = uniqueName();
    expect(codeOf(() => Segment.open(name))).toBe("ENOENT");
    expect(() => Segment.open(name)).toThrow(`shm_open(${name}): ENOENT (No such file or directory)`);
  });

  test("of an empty or truncated segment fails with ESIZE before mapping anything", () => {
    const name = uniqueName();
    using seg = Segment.create(name, { size: 4096 });
    ftruncateSync(seg.fd, 0);
    expect(codeOf(() => Segment.open(name))).toBe("ESIZE");
    expect(() => Segment.open(name)).toThrow("the segment is empty");
    ftruncateSync(seg.fd, 100);
    expect(() => Segment.open(name, { minSize: 4096 })).toThrow(
      "has 100 bytes, fewer than the 4096 required",
    );
  });

  test("read-only sees later writes and its own stray writes stay private", () => {
    const name = uniqueName();
    using writer = Segment.create(name, { size: 8192 });
    using reader = Segment.open(name, { readonly: true });
    expect(reader.readonly).toBe(true);
    writer.bytes[10] = 1;
    writer.bytes[5000] = 2;
    expect(reader.bytes[10]).toBe(1);
    expect(reader.bytes[5000]).toBe(2);
    reader.bytes[10] = 99; // copy-on-write: no SIGSEGV, and the writer does not see it
    expect(writer.bytes[10]).toBe(1);
    writer.bytes[5001] = 3; // the page the reader did not write still follows the segment
    expect(reader.bytes[5001]).toBe(3);
  });

  test("trustOwner refuses a segment that group or others may write", () => {
    const name = uniqueName();
    using _seg = Segment.create(name, { size: 64, mode: 0o666 });
    expect(codeOf(() => Segment.open(name, { trustOwner: true }))).toBe("EUNTRUSTED");
    expect(() => Segment.open(name, { trustOwner: true })).toThrow("mode 0666 lets group or others write it");
    expect(codeOf(() => Segment.create(name, { size: 64, exclusive: false, trustOwner: true }))).toBe(
      "EUNTRUSTED",
    );
    const safe = uniqueName();
    using _ok = Segment.create(safe, { size: 64, mode: 0o644 });
    using trusted = Segment.open(safe, { trustOwner: true });
    expect(trusted.size).toBe(64);
  });
});

describe("Segment lifetime", () => {
  test("close() twice is harmless, and a closed segment throws ECLOSED instead of touching memory", () => {
    const name = uniqueName();
    const seg = Segment.create(name, { size: 4096 });
    const view = seg.bytes;
    const words = new Int32Array(seg.buffer);
    view[0] = 1;
    seg.close();
    seg.close();
    expect(seg.closed).toBe(true);
    // Views taken before close() are detached: empty, never a read of unmapped memory.
    expect(view.length).toBe(0);
    expect(view[0]).toBeUndefined();
    expect(words.length).toBe(0);
    expect(() => Atomics.load(words, 0)).toThrow();
    for (const get of [() => seg.bytes, () => seg.buffer, () => seg.ptr, () => seg.fd, () => seg.stat()]) {
      expect(codeOf(get)).toBe("ECLOSED");
    }
    expect(() => seg.bytes).toThrow(`Segment.bytes(${name}): ECLOSED`);
    seg.unlink();
    expect(Segment.exists(name)).toBe(false);
  });

  test("using closes the segment but does not unlink it", () => {
    const name = uniqueName();
    let outer: Segment | undefined;
    {
      using seg = Segment.create(name, { size: 64 });
      outer = seg;
    }
    expect(outer?.closed).toBe(true);
    expect(Segment.exists(name)).toBe(true);
  });

  test("unlink of a missing name fails with ENOENT unless ifExists", () => {
    const name = uniqueName();
    expect(codeOf(() => Segment.unlink(name))).toBe("ENOENT");
    expect(Segment.unlink(name, { ifExists: true })).toBe(false);
    using _seg = Segment.create(name, { size: 8 });
    expect(Segment.unlink(name)).toBe(true);
  });

  test("list() shows our segment with size, mode, owner and mtime", () => {
    const name = uniqueName();
    using _seg = Segment.create(name, { size: 777, mode: 0o640 });
    const entry = Segment.list().find((s) => s.name === name);
    expect(entry).toBeDefined();
    expect(entry?.size).toBe(777);
    expect(entry?.mode).toBe(0o640);
    expect(entry?.uid).toBe(process.getuid?.() ?? -1);
    expect(entry?.mtime).toBeInstanceOf(Date);
  });
});

describe("growTo (how create sizes a segment)", () => {
  // With exclusive: false, a creator can size the object after an opener already grew and mapped it; sizing must
  // never shrink it under that mapping (SIGBUS there). growTo is what both create paths call.
  test.each([true, false])("never shrinks an object another mapping uses (reserve: %p)", (reserve) => {
    const name = uniqueName();
    using opener = Segment.create(name, { size: 64 * 1024 });
    opener.bytes[64 * 1024 - 1] = 7;
    growTo(opener.fd, name, 4096, reserve);
    expect(opener.stat().size).toBe(64 * 1024);
    expect(opener.bytes[64 * 1024 - 1]).toBe(7);
    growTo(opener.fd, name, 128 * 1024, reserve);
    expect(opener.stat().size).toBe(128 * 1024);
  });
});
