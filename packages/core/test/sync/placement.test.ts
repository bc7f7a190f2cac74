import { describe, expect, test } from "bun:test";
import { Condition, Mutex, Segment, ShmArgumentError, ShmError, WaitWord } from "../../src/index.ts";
import { hostTarget } from "../../src/targets/index.ts";
import { ROBUST_IF_SUPPORTED, uniqueName } from "../helpers.ts";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("sync objects refuse bad places", () => {
  test("Mutex.at on zeroed memory throws EINVAL saying the creator must initialise it", () => {
    using seg = Segment.create(uniqueName("place"), { size: 4096 });
    const error = thrown(() => Mutex.at(seg, 0));
    expect(error).toBeInstanceOf(ShmError);
    expect((error as ShmError).code).toBe("EINVAL");
    expect((error as ShmError).message).toContain("the creator must call Mutex.init");
  });

  test("Mutex.at on garbage memory throws EINVAL instead of hanging or crashing", () => {
    using seg = Segment.create(uniqueName("place"), { size: 4096 });
    seg.bytes.fill(0xab, 0, 64);
    const error = thrown(() => Mutex.at(seg, 0));
    expect(error).toBeInstanceOf(ShmError);
    expect((error as ShmError).code).toBe("EINVAL");
    expect((error as ShmError).message).toContain(
      "no initialised process-shared mutex here (kind word 0xabababab)",
    );
  });

  test("Mutex.at on a mutex initialised without PTHREAD_PROCESS_SHARED is refused", () => {
    using seg = Segment.create(uniqueName("place"), { size: 4096 });
    Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    // Clear the pshared bit (glibc keeps the kind at byte 16, musl at byte 0) as a private mutex would have it.
    const kindAt = hostTarget().libc === "musl" ? 0 : 16;
    const view = new DataView(seg.buffer);
    view.setInt32(kindAt, view.getInt32(kindAt, true) & ~128, true);
    expect((thrown(() => Mutex.at(seg, 0)) as ShmError).code).toBe("EINVAL");
  });

  test("offsets that are misaligned, negative, fractional or run past the end are ShmArgumentErrors", () => {
    using seg = Segment.create(uniqueName("place"), { size: 128 });
    const cases: [string, () => unknown, string][] = [
      ["misaligned mutex", () => Mutex.init(seg, 4), "must be a multiple of 8"],
      ["negative", () => Mutex.init(seg, -8), "must be a non-negative integer"],
      ["fractional", () => WaitWord.at(seg, 1.5), "must be a non-negative integer"],
      ["misaligned word", () => WaitWord.at(seg, 2), "must be a multiple of 4"],
      ["past the end", () => Condition.init(seg, 88), "inside the 128-byte segment"],
      ["word at the last byte", () => WaitWord.at(seg, 128), "at most 124"],
    ];
    for (const [label, fn, text] of cases) {
      const error = thrown(fn);
      expect(error, label).toBeInstanceOf(ShmArgumentError);
      expect((error as Error).message, label).toContain(text);
    }
    // The last places that fit are accepted.
    expect(WaitWord.at(seg, 124).load()).toBe(0);
    expect(Condition.init(seg, 128 - Condition.layout.size)).toBeInstanceOf(Condition);
  });

  test("bad time-outs are ShmArgumentErrors, before any wait", () => {
    using seg = Segment.create(uniqueName("place"), { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const w = WaitWord.at(seg, 64);
    expect(thrown(() => m.lock({ timeoutMs: -1 }))).toBeInstanceOf(ShmArgumentError);
    expect(thrown(() => w.wait(0, { timeoutMs: Number.NaN }))).toBeInstanceOf(ShmArgumentError);
    expect(thrown(() => w.wait(0, { spinNs: -5 }))).toBeInstanceOf(ShmArgumentError);
    // Nothing was locked by the refused call.
    expect(m.tryLock()).toBe("acquired");
    m.unlock();
  });

  test("a read-only segment refuses mutexes, conditions and wait words with EREADONLY", () => {
    const name = uniqueName("place");
    using seg = Segment.create(name, { size: 4096 });
    Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    using ro = Segment.open(name, { readonly: true });
    for (const fn of [() => Mutex.at(ro, 0), () => Condition.at(ro, 64), () => WaitWord.at(ro, 128)]) {
      const error = thrown(fn);
      expect(error).toBeInstanceOf(ShmError);
      expect((error as ShmError).code).toBe("EREADONLY");
      expect((error as ShmError).message).toContain("open it without readonly");
    }
  });

  test("every call on an object of a closed segment throws ECLOSED without touching unmapped memory", async () => {
    const seg = Segment.create(uniqueName("place"), { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const c = Condition.init(seg, 64);
    const w = WaitWord.at(seg, 128);
    seg.close();
    const calls: [string, () => unknown][] = [
      ["lock", () => m.lock()],
      ["tryLock", () => m.tryLock()],
      ["unlock", () => m.unlock()],
      ["markConsistent", () => m.markConsistent()],
      ["withLock", () => m.withLock(() => 1)],
      ["wait", () => c.wait(m)],
      ["signal", () => c.signal()],
      ["broadcast", () => c.broadcast()],
      ["word load", () => w.load()],
      ["word store", () => w.store(1)],
      ["word wait", () => w.wait(0)],
      ["word notify", () => w.notify()],
      ["Mutex.at", () => Mutex.at(seg, 0)],
    ];
    for (const [label, fn] of calls) {
      const error = thrown(fn);
      expect(error, label).toBeInstanceOf(ShmError);
      expect((error as ShmError).code, label).toBe("ECLOSED");
    }
    let asyncError: unknown;
    try {
      await w.waitAsync(0);
    } catch (error) {
      asyncError = error;
    }
    expect((asyncError as ShmError).code).toBe("ECLOSED");
  });
});
