import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Condition, Mutex, Segment, ShmError } from "../../src/index.ts";
import { NO_ROBUST_LISTS, ROBUST_IF_SUPPORTED, robustOnly, uniqueName } from "../helpers.ts";
import { Child, type CompiledC, compileC, syncChild } from "./children.ts";

describe("Condition in one process", () => {
  test("wait({ timeoutMs }) returns timed-out after the time-out and gives the mutex back", () => {
    using seg = Segment.create(uniqueName("cond"), { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const c = Condition.init(seg, Mutex.layout.size);
    m.lock();
    const started = performance.now();
    expect(c.wait(m, { timeoutMs: 50 })).toBe("timed-out");
    // Not a speed check: a time-out may not end a wait before it is due.
    expect(performance.now() - started).toBeGreaterThanOrEqual(49);
    // The mutex is held again: unlock succeeds (it would be EPERM otherwise).
    m.unlock();
  });

  test("wait() without holding the mutex throws EPERM saying to lock first", () => {
    using seg = Segment.create(uniqueName("cond"), { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const c = Condition.init(seg, 64);
    let error: unknown;
    try {
      c.wait(m, { timeoutMs: 10 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShmError);
    expect((error as ShmError).code).toBe("EPERM");
    expect((error as ShmError).message).toContain("lock() it before wait()");
  });

  test("Condition.layout comes from the host target table (48 bytes, 8-aligned on Linux x86_64 and aarch64)", () => {
    expect(Condition.layout).toEqual({ size: 48, align: 8 });
  });
});

describe("Condition across processes", () => {
  test("broadcast() wakes every waiter in 3 other processes", async () => {
    const name = uniqueName("cond");
    using seg = Segment.create(name, { size: 4096 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const c = Condition.init(seg, 64);
    const words = new Int32Array(seg.buffer, 128, 2); // [waiting, generation]
    const waiters = [1, 2, 3].map(() => syncChild("broadcast-waiter", [name, 0, 64, 128], 60_000));
    try {
      // Once all three registered under the mutex, each is inside wait() (which released it) or about to be.
      const deadline = Date.now() + 30_000;
      while (m.withLock(() => words[0]) !== 3) {
        if (Date.now() > deadline) throw new Error(`only ${words[0]} waiters registered in 30 s`);
        await Bun.sleep(5);
      }
      m.withLock(() => {
        words[1] = 1;
        c.broadcast();
      });
      for (const waiter of waiters) {
        const result = await waiter.done();
        expect(result.stderr).toBe("");
        expect(result.rest).toEqual(["signaled"]);
        expect(result.exitCode).toBe(0);
      }
    } finally {
      for (const waiter of waiters) waiter.proc.kill("SIGKILL");
    }
  }, 90_000);
});

describe("Condition and a dying signaller", () => {
  test.skipIf(NO_ROBUST_LISTS)(
    robustOnly("wait() returns owner-died when the process that signalled dies holding the mutex"),
    async () => {
      const name = uniqueName("cond");
      using seg = Segment.create(name, { size: 4096 });
      const m = Mutex.init(seg, 0);
      const c = Condition.init(seg, 64);
      m.lock();
      // The child can lock only once wait() below releases the mutex, so its signal is not missed.
      const child = syncChild("signal-and-die", [name, 0, 64]);
      const outcome = c.wait(m, { timeoutMs: 20_000 });
      expect(outcome).toBe("owner-died");
      m.markConsistent();
      m.unlock();
      const result = await child.done();
      expect(result.signalCode).toBe("SIGKILL");
      expect(m.tryLock()).toBe("acquired");
      m.unlock();
    },
    60_000,
  );
});

describe("the seed-000 pattern with C", () => {
  let c: CompiledC | undefined;
  beforeAll(async () => {
    c = await compileC("seed000.c");
  }, 60_000);
  afterAll(() => c?.remove());

  test("C creates and waits on the condition; a shmkit process attaches, changes shared_resource and signals", async () => {
    if (!c) {
      console.warn("skipped: no C compiler (cc) on PATH");
      return;
    }
    const name = uniqueName("seed");
    const creator = new Child([c.bin, "create", name]);
    try {
      const layout = await creator.nextLine();
      const match = /^ready mutex=(\d+) cond=(\d+) resource=(\d+) size=(\d+)$/.exec(layout);
      expect(match).not.toBeNull();
      const [mutexAt, condAt, resourceAt] = (match as RegExpExecArray).slice(1, 4).map(Number) as [
        number,
        number,
        number,
      ];
      // C's offsets are the ones the per-target table predicts.
      expect(condAt).toBe(Mutex.layout.size);
      expect(resourceAt).toBe(Mutex.layout.size + Condition.layout.size);
      const signaller = syncChild("signal", [name, mutexAt, condAt, resourceAt, 42]);
      const signalled = await signaller.done();
      expect(signalled.stderr).toBe("");
      expect(signalled.rest).toEqual(["signalled"]);
      const waited = await creator.done();
      expect(waited.rest).toEqual(["resource=42"]);
      expect(waited.exitCode).toBe(0);
    } finally {
      creator.proc.kill("SIGKILL");
      Segment.unlink(name, { ifExists: true });
    }
  }, 60_000);

  test("shmkit initialises and waits on the condition; a C process attaches, changes shared_resource and signals", async () => {
    if (!c) {
      console.warn("skipped: no C compiler (cc) on PATH");
      return;
    }
    const name = uniqueName("seed");
    const resourceAt = Mutex.layout.size + Condition.layout.size;
    using seg = Segment.create(name, { size: resourceAt + 8 });
    const m = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const cond = Condition.init(seg, Mutex.layout.size);
    const resource = new Int32Array(seg.buffer, resourceAt, 1);
    m.lock();
    // The C process blocks on the mutex until wait() below releases it, so its signal cannot be missed.
    const attacher = new Child([c.bin, "attach", name, "7"]);
    let outcome = "signaled";
    try {
      while (resource[0] === 0 && outcome !== "timed-out") outcome = cond.wait(m, { timeoutMs: 20_000 });
      expect(outcome).toBe("signaled");
      expect(resource[0]).toBe(7);
    } finally {
      m.unlock();
    }
    const result = await attacher.done();
    expect(result.stderr).toBe("");
    expect(result.rest).toEqual(["signalled"]);
    expect(result.exitCode).toBe(0);
  }, 60_000);
});
