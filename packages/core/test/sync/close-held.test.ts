import { describe, expect, test } from "bun:test";
import { Mutex, Segment, WaitWord } from "../../src/index.ts";
import { errorOf, NO_ROBUST_LISTS, ROBUST_IF_SUPPORTED, robustOnly, uniqueName } from "../helpers.ts";
import { syncChild } from "./children.ts";

// glibc and musl link every robust mutex a thread holds into its robust list through the mutex's own bytes; these
// tests check that shmkit never unmaps such a mutex, and that giving one up on close is exactly a death.

/** Segments until one is mapped at `address` (the kernel reuses the hole a closed mapping left). */
function segmentAt(address: number, made: Segment[]): Segment | undefined {
  for (let i = 0; i < 16; i++) {
    const seg = Segment.create(uniqueName("reuse"), { size: 4096 });
    made.push(seg);
    if ((seg.ptr as number) === address) return seg;
  }
  return undefined;
}

describe("Segment.close() while this thread holds a mutex in it", () => {
  test("throws EBUSY naming the offsets, leaves the segment open, and the holder can still unlock and close", () => {
    const seg = Segment.create(uniqueName("held"), { size: 4096 });
    const a = Mutex.init(seg, 64, ROBUST_IF_SUPPORTED);
    const b = Mutex.init(seg, 8, ROBUST_IF_SUPPORTED);
    a.lock();
    b.lock();
    const error = errorOf(() => seg.close());
    expect(error.code).toBe("EBUSY");
    expect(error.message).toContain("holds the mutexes at offsets 8, 64");
    expect(error.message).toContain("abandonLocks");
    expect(seg.closed).toBe(false);
    a.unlock();
    expect(errorOf(() => seg.close()).message).toContain("holds the mutex at offset 8 in it");
    b.unlock();
    seg.close();
    expect(seg.closed).toBe(true);
  });

  test("a non-robust mutex is refused too: closing would leave its waiters stranded", () => {
    using seg = Segment.create(uniqueName("held"), { size: 4096 });
    const m = Mutex.init(seg, 0, { robust: false });
    m.lock();
    expect(errorOf(() => seg.close()).code).toBe("EBUSY");
    m.unlock();
  });

  test("close({ abandonLocks }) checks its option before anything else", () => {
    using seg = Segment.create(uniqueName("held"), { size: 4096 });
    expect(() => seg.close({ abandonLocks: "yes" as unknown as boolean })).toThrow(
      "options.abandonLocks: must be a boolean",
    );
    expect(seg.closed).toBe(false);
  });

  test.skipIf(NO_ROBUST_LISTS)(
    robustOnly(
      "the issue's reproduction: an abandoned mutex's old address, mapped anew, stays all zeros while other mutexes are locked",
    ),
    () => {
      const made: Segment[] = [];
      try {
        const a = Segment.create(uniqueName("held-a"), { size: 4096 });
        made.push(a);
        const address = a.ptr as number;
        Mutex.init(a, 0).lock();
        a.close({ abandonLocks: true });
        const b = segmentAt(address, made);
        expect(b).toBeDefined();
        const c = Segment.create(uniqueName("held-c"), { size: 4096 });
        made.push(c);
        // Each lock and unlock links and unlinks through the list's first node: before the fix, that was a.
        const m = Mutex.init(c, 0);
        m.lock();
        const n = Mutex.init(c, 64);
        n.lock();
        n.unlock();
        expect(Array.from((b as Segment).bytes).every((byte) => byte === 0)).toBe(true);
        m.unlock();
      } finally {
        for (const seg of made) seg.close();
      }
    },
  );
});

describe("held mutexes are per thread", () => {
  test("a Worker's hold refuses the Worker's close() but not the main thread's, which holds nothing", async () => {
    const name = uniqueName("worker");
    using seg = Segment.create(name, { size: 4096 });
    Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const worker = new Worker(new URL("../fixtures/sync/held-worker.ts", import.meta.url).href);
    const replies: string[] = [];
    let wake: (() => void) | undefined;
    worker.onmessage = (event: MessageEvent<string>) => {
      replies.push(event.data);
      wake?.();
    };
    const ask = async (message: object): Promise<string> => {
      worker.postMessage(message);
      const deadline = Date.now() + 10_000;
      while (replies.length === 0 && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 100);
        });
      }
      return replies.shift() ?? "no reply within 10 s";
    };
    try {
      expect(await ask({ step: "lock", name })).toBe("acquired");
      const other = Segment.open(name);
      expect(Mutex.at(other, 0).tryLock()).toBe("busy");
      other.close(); // this thread holds nothing in it
      expect(await ask({ step: "close" })).toBe("EBUSY");
      expect(await ask({ step: "unlock-close" })).toBe("closed");
    } finally {
      worker.terminate();
    }
  }, 60_000);
});

describe.skipIf(NO_ROBUST_LISTS)(robustOnly("abandoned mutexes, seen from other processes"), () => {
  test("a waiter blocked in lock() in another process gets owner-died when the holder abandons it, while the holder lives", async () => {
    const name = uniqueName("abandon");
    using seg = Segment.create(name, { size: 4096 });
    Mutex.init(seg, 0);
    const go = WaitWord.at(seg, 64);
    const holder = syncChild("abandon", [name, 0, 64]);
    let waiter: ReturnType<typeof syncChild> | undefined;
    try {
      expect(await holder.nextLine()).toBe("acquired");
      waiter = syncChild("hold", [name, 0]); // blocks in lock() until the holder lets go
      await Bun.sleep(300); // let the waiter reach pthread_mutex_lock and sleep in the kernel
      go.store(1);
      go.notify();
      expect(await holder.nextLine()).toBe("abandoned");
      expect(await waiter.nextLine()).toBe("owner-died");
      expect(holder.proc.exitCode).toBeNull(); // alive: the owner-died came from the abandonment
    } finally {
      holder.proc.kill("SIGKILL");
      waiter?.proc.kill("SIGKILL");
      await Promise.all([holder.done(), waiter?.done()]);
    }
  }, 60_000);

  test("with two waiters asleep, abandoning wakes both: one gets owner-died, the other the lock after it", async () => {
    const name = uniqueName("abandon");
    using seg = Segment.create(name, { size: 4096 });
    Mutex.init(seg, 0);
    const go = WaitWord.at(seg, 64);
    const holder = syncChild("abandon", [name, 0, 64]);
    const waiters: ReturnType<typeof syncChild>[] = [];
    try {
      expect(await holder.nextLine()).toBe("acquired");
      waiters.push(syncChild("lock-once", [name, 0]), syncChild("lock-once", [name, 0]));
      await Bun.sleep(300); // both asleep in the kernel, so the word carries FUTEX_WAITERS
      go.store(1);
      go.notify();
      const states = await Promise.all(waiters.map((w) => w.nextLine()));
      expect(states.sort()).toEqual(["acquired", "owner-died"]);
    } finally {
      holder.proc.kill("SIGKILL");
      for (const w of waiters) w.proc.kill("SIGKILL");
      await Promise.all([holder, ...waiters].map((c) => c.done()));
    }
  }, 60_000);

  test("a process whose close() was refused and that exits holding the lock leaves owner-died, not a stranded lock", async () => {
    const name = uniqueName("abandon");
    using seg = Segment.create(name, { size: 4096 });
    const m = Mutex.init(seg, 0);
    const child = syncChild("close-refused-exit", [name, 0]);
    expect(await child.nextLine()).toBe("EBUSY");
    expect((await child.done()).exitCode).toBe(0);
    expect(m.lock({ timeoutMs: 2000 })).toBe("owner-died");
    m.markConsistent();
    m.unlock();
  }, 60_000);

  test("`using` with a throw inside the locked section hands the lock on as owner-died", async () => {
    const name = uniqueName("abandon");
    using seg = Segment.create(name, { size: 4096 });
    const m = Mutex.init(seg, 0);
    const child = syncChild("using-throw", [name, 0]);
    try {
      expect(await child.nextLine()).toBe("failed half-way through the update");
      expect(await child.nextLine()).toBe("alive");
      expect(m.lock({ timeoutMs: 2000 })).toBe("owner-died");
      m.markConsistent();
      m.unlock();
    } finally {
      child.proc.kill("SIGKILL");
      await child.done();
    }
  }, 60_000);

  test("abandoning the middle of a thread's robust list keeps the rest of it walkable when that thread dies", async () => {
    const names = [uniqueName("list-x"), uniqueName("list-y"), uniqueName("list-z")];
    const segs = names.map((n) => Segment.create(n, { size: 4096 }));
    try {
      const mutexes = segs.map((seg) => Mutex.init(seg, 0));
      const child = syncChild("abandon-middle", names);
      expect(await child.nextLine()).toBe("abandoned");
      expect((await child.done()).signalCode).toBe("SIGKILL");
      // x was locked first, so the kernel reaches it last, past where y was linked.
      for (const m of mutexes) {
        expect(m.lock({ timeoutMs: 2000 })).toBe("owner-died");
        m.markConsistent();
        m.unlock();
      }
    } finally {
      for (const seg of segs) seg.close();
    }
  }, 60_000);
});

describe("robust futex lists", () => {
  test("Mutex.init({ robust: true }) works where the kernel keeps robust lists and throws ENOTSUP where not", () => {
    using seg = Segment.create(uniqueName("robust"), { size: 4096 });
    if (Mutex.robustSupported) {
      expect(Mutex.init(seg, 0).robust).toBe(true);
    } else {
      const error = errorOf(() => Mutex.init(seg, 0));
      expect(error.code).toBe("ENOTSUP");
      expect(error.message).toContain("robust: false");
    }
    expect(Mutex.init(seg, 64, { robust: false }).robust).toBe(false);
  });
});
