import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Mutex, Segment, ShmError, WaitWord } from "../../src/index.ts";
import { NO_ROBUST_LISTS, ROBUST_IF_SUPPORTED, robustOnly, uniqueName } from "../helpers.ts";
import { type CompiledC, compileC, syncChild } from "./children.ts";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ShmError ? error.code : `not a ShmError: ${error}`;
  }
  return undefined;
}

describe("Mutex in one process", () => {
  test("lock() and tryLock() take a free mutex; tryLock() by its holder throws EDEADLK", () => {
    using seg = Segment.create(uniqueName("mutex"), { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    expect(m.lock()).toBe("acquired");
    expect(codeOf(() => m.tryLock())).toBe("EDEADLK");
    m.unlock();
    expect(m.tryLock()).toBe("acquired");
    m.unlock();
  });

  test("tryLock() by the holder of a non-robust mutex throws EDEADLK too, where libc itself says EBUSY", () => {
    using seg = Segment.create(uniqueName("mutex"), { size: 4096 });
    const m = Mutex.init(seg, 0, { robust: false });
    expect(m.lock()).toBe("acquired");
    expect(codeOf(() => m.tryLock())).toBe("EDEADLK");
    m.unlock();
    expect(m.tryLock()).toBe("acquired");
    m.unlock();
  });

  test("a second lock() by the holder throws EDEADLK instead of freezing the JS thread", () => {
    using seg = Segment.create(uniqueName("mutex"), { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    m.lock();
    expect(codeOf(() => m.lock())).toBe("EDEADLK");
    m.unlock();
  });

  test("unlock() of a mutex this thread does not hold throws EPERM", () => {
    using seg = Segment.create(uniqueName("mutex"), { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    expect(codeOf(() => m.unlock())).toBe("EPERM");
  });

  test("markConsistent() outside owner-died recovery throws EINVAL with a sentence saying when to call it", () => {
    using seg = Segment.create(uniqueName("mutex"), { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    m.lock();
    expect(() => m.markConsistent()).toThrow('after lock() returned "owner-died"');
    m.unlock();
  });

  test("withLock() returns the callback's value and unlocks also when it throws", () => {
    using seg = Segment.create(uniqueName("mutex"), { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    expect(m.withLock((state) => `${state}!`)).toBe("acquired!");
    expect(() =>
      m.withLock(() => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(m.tryLock()).toBe("acquired");
    m.unlock();
  });

  test.skipIf(NO_ROBUST_LISTS)(
    robustOnly("Mutex.at reads robustness from the mutex that Mutex.init made"),
    () => {
      using seg = Segment.create(uniqueName("mutex"), { size: 4096 });
      Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
      Mutex.init(seg, 64, { robust: false });
      expect(Mutex.at(seg, 0).robust).toBe(true);
      expect(Mutex.at(seg, 64).robust).toBe(false);
    },
  );

  test("Mutex.layout comes from the host target table (40 bytes, 8-aligned on glibc x86_64)", () => {
    const { size, align } = Mutex.layout;
    expect(align).toBe(8);
    if (process.arch === "x64") expect(size).toBe(40);
    if (process.arch === "arm64") expect(size).toBe(48);
  });
});

describe("Mutex across processes", () => {
  test("lock({ timeoutMs }) throws ETIMEDOUT and tryLock() is busy while another process holds it", async () => {
    const name = uniqueName("mutex");
    using seg = Segment.create(name, { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const holder = syncChild("hold", [name, 0]);
    try {
      expect(await holder.nextLine()).toBe("acquired");
      expect(m.tryLock()).toBe("busy");
      let error: unknown;
      try {
        m.lock({ timeoutMs: 100 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ShmError);
      expect((error as ShmError).code).toBe("ETIMEDOUT");
      expect((error as ShmError).message).toContain("still held by another thread after 100 ms");
    } finally {
      holder.proc.kill("SIGKILL");
      await holder.proc.exited;
    }
    // The holder died holding it. Only a robust mutex hands that on; a plain one stays locked for ever.
    if (Mutex.robustSupported) {
      expect(m.lock({ timeoutMs: 10_000 })).toBe("owner-died");
      m.markConsistent();
      m.unlock();
    }
  }, 60_000);

  test.skipIf(NO_ROBUST_LISTS)(
    robustOnly(
      "after a holder is SIGKILLed, lock() returns owner-died and markConsistent() makes it usable (20 times)",
    ),
    async () => {
      const name = uniqueName("mutex");
      using seg = Segment.create(name, { size: 4096 });
      const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
      const rounds = 20;
      const seen: string[] = [];
      for (let round = 0; round < rounds; round++) {
        const holder = syncChild("hold", [name, 0]);
        try {
          expect(await holder.nextLine()).toBe("acquired");
        } finally {
          holder.proc.kill("SIGKILL");
          await holder.proc.exited;
        }
        seen.push(m.lock({ timeoutMs: 10_000 }));
        m.markConsistent();
        m.unlock();
        // Usable again, with no owner-died left over.
        expect(m.lock({ timeoutMs: 10_000 })).toBe("acquired");
        m.unlock();
      }
      expect(seen).toEqual(new Array(rounds).fill("owner-died"));
    },
    120_000,
  );

  test.skipIf(NO_ROBUST_LISTS)(
    robustOnly(
      "unlocking after owner-died without markConsistent() makes the mutex ENOTRECOVERABLE, with the fix in the message",
    ),
    async () => {
      const name = uniqueName("mutex");
      using seg = Segment.create(name, { size: 4096 });
      const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
      const holder = syncChild("hold", [name, 0]);
      try {
        expect(await holder.nextLine()).toBe("acquired");
      } finally {
        holder.proc.kill("SIGKILL");
        await holder.proc.exited;
      }
      expect(m.lock({ timeoutMs: 10_000 })).toBe("owner-died");
      m.unlock();
      expect(() => m.lock()).toThrow("initialise it anew with Mutex.init");
      // Re-initialising (once no process uses it) recovers it.
      const fresh = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
      expect(fresh.lock()).toBe("acquired");
      fresh.unlock();
    },
    60_000,
  );

  test.skipIf(NO_ROBUST_LISTS)(
    robustOnly("withLock() hands owner-died to the callback and marks the mutex consistent when it returns"),
    async () => {
      const name = uniqueName("mutex");
      using seg = Segment.create(name, { size: 4096 });
      const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
      const holder = syncChild("hold", [name, 0]);
      try {
        expect(await holder.nextLine()).toBe("acquired");
      } finally {
        holder.proc.kill("SIGKILL");
        await holder.proc.exited;
      }
      expect(m.withLock((state) => state, { timeoutMs: 10_000 })).toBe("owner-died");
      expect(m.withLock((state) => state)).toBe("acquired");
    },
    60_000,
  );

  test("4 processes x 100,000 increments of a plain int under the mutex give an exact count", async () => {
    const name = uniqueName("mutex");
    using seg = Segment.create(name, { size: 4096 });
    Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const start = WaitWord.at(seg, 128);
    const perChild = 100_000;
    const children = [1, 2, 3, 4].map(() => syncChild("increment", [name, 0, 64, perChild, 128], 90_000));
    // All four start together, so that they really contend for the lock.
    for (const child of children) expect(await child.nextLine()).toBe("ready");
    start.store(1);
    start.notify();
    for (const child of children) {
      const result = await child.done();
      expect(result.stderr).toBe("");
      expect(result.exitCode).toBe(0);
      expect(result.rest).toEqual(["done"]);
    }
    expect(new Int32Array(seg.buffer, 64, 1)[0]).toBe(4 * perChild);
  }, 120_000);
});

describe("Mutex with C", () => {
  let c: CompiledC | undefined;
  beforeAll(async () => {
    c = await compileC("seed000.c");
  }, 60_000);
  afterAll(() => c?.remove());

  test.skipIf(NO_ROBUST_LISTS)(
    robustOnly("a C process that dies holding a shmkit mutex leaves owner-died for the next lock()"),
    async () => {
      if (!c) {
        console.warn("skipped: no C compiler (cc) on PATH");
        return;
      }
      const name = uniqueName("mutex");
      using seg = Segment.create(name, { size: 4096 });
      const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
      const proc = Bun.spawn([c.bin, "die-holding", name], { stderr: "pipe", timeout: 20_000 });
      await proc.exited;
      expect(proc.signalCode).toBe("SIGKILL");
      expect(m.lock({ timeoutMs: 10_000 })).toBe("owner-died");
      m.markConsistent();
      m.unlock();
      expect(m.tryLock()).toBe("acquired");
      m.unlock();
    },
    60_000,
  );
});
