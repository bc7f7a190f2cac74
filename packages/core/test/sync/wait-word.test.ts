import { describe, expect, test } from "bun:test";
import { Segment, WaitWord } from "../../src/index.ts";
import { uniqueName } from "../helpers.ts";
import { runSyncChild, syncChild } from "./children.ts";

describe("WaitWord in one process", () => {
  test("wait() returns not-equal at once when the word does not hold the expected value", () => {
    using seg = Segment.create(uniqueName("word"), { size: 4096 });
    const w = WaitWord.at(seg, 8);
    w.store(5);
    expect(w.wait(4, { timeoutMs: 10_000 })).toBe("not-equal");
  });

  test("wait() returns timed-out when nobody changes the word, with or without spinning first", () => {
    using seg = Segment.create(uniqueName("word"), { size: 4096 });
    const w = WaitWord.at(seg, 8);
    expect(w.wait(0, { timeoutMs: 20 })).toBe("timed-out");
    expect(w.wait(0, { timeoutMs: 20, spinNs: 0 })).toBe("timed-out");
    expect(w.wait(0, { timeoutMs: 0 })).toBe("timed-out");
  });

  test("load, store, add and compareExchange act on the word in the segment", () => {
    using seg = Segment.create(uniqueName("word"), { size: 4096 });
    const w = WaitWord.at(seg, 12);
    w.store(3);
    expect(w.add(2)).toBe(3);
    expect(w.compareExchange(5, 9)).toBe(5);
    expect(w.compareExchange(5, 1)).toBe(9);
    expect(new Int32Array(seg.buffer, 12, 1)[0]).toBe(9);
    expect(w.load()).toBe(9);
  });

  test("notify() with nobody waiting wakes 0", () => {
    using seg = Segment.create(uniqueName("word"), { size: 4096 });
    expect(WaitWord.at(seg, 0).notify()).toBe(0);
  });

  test("waitAsync() resolves not-equal and timed-out without a notify", async () => {
    using seg = Segment.create(uniqueName("word"), { size: 4096 });
    const w = WaitWord.at(seg, 0);
    expect(await w.waitAsync(1, { timeoutMs: 10_000 })).toBe("not-equal");
    expect(await w.waitAsync(0, { timeoutMs: 30 })).toBe("timed-out");
  });
});

describe("WaitWord across processes", () => {
  test("a process sleeping in the kernel (no spin) is woken by another process's notify alone", async () => {
    const name = uniqueName("word");
    using seg = Segment.create(name, { size: 4096 });
    const w = WaitWord.at(seg, 16);
    const waiter = syncChild("wait-word", [name, 16, 0]);
    try {
      expect(await waiter.nextLine()).toBe("waiting");
      // The word never changes, so only a futex wake from this process can end the child's wait before its
      // 20 s time-out. Retry until the child is asleep and the wake reaches it.
      let woken = 0;
      const deadline = Date.now() + 20_000;
      while (woken === 0 && Date.now() < deadline) {
        await Bun.sleep(10);
        woken = w.notify();
      }
      expect(woken).toBe(1);
      const result = await waiter.done();
      expect(result.rest).toEqual(["ok"]);
      expect(result.exitCode).toBe(0);
      expect(w.load()).toBe(0);
    } finally {
      waiter.proc.kill("SIGKILL");
    }
  }, 60_000);

  test("a spinning waiter sees a change made by another process without any notify (the spin is not hoisted)", async () => {
    const name = uniqueName("word");
    using seg = Segment.create(name, { size: 4096 });
    const w = WaitWord.at(seg, 32);
    // The child spins for up to 60 s before it would ever sleep, and is killed after 30 s: only a spin loop that
    // really re-reads the word can return in time.
    const spinner = syncChild("spin", [name, 32], 30_000);
    try {
      expect(await spinner.nextLine()).toBe("spinning");
      await Bun.sleep(200);
      w.store(1); // no notify
      const result = await spinner.done();
      expect(result.signalCode).toBeNull();
      expect(result.rest).toEqual(["ok"]);
      expect(result.exitCode).toBe(0);
    } finally {
      spinner.proc.kill("SIGKILL");
    }
  }, 60_000);

  test("waitAsync() lets a setTimeout fire while it waits, then resolves on another process's notify", async () => {
    const name = uniqueName("word");
    using seg = Segment.create(name, { size: 4096 });
    const w = WaitWord.at(seg, 48);
    const events: string[] = [];
    const waiting = w.waitAsync(0, { timeoutMs: 30_000 }).then((result) => {
      events.push(`wait ${result}`);
      return result;
    });
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        events.push("timer");
        resolve();
      }, 20),
    );
    expect(events).toEqual(["timer"]);
    const notifier = await runSyncChild("notify", [name, 48, 7]);
    expect(notifier.stderr).toBe("");
    expect(notifier.exitCode).toBe(0);
    expect(await waiting).toBe("ok");
    expect(events).toEqual(["timer", "wait ok"]);
    expect(w.load()).toBe(7);
  }, 60_000);

  test("many waitAsync() calls pending at once are all resolved by one notify from another process", async () => {
    const name = uniqueName("word");
    using seg = Segment.create(name, { size: 4096 });
    const w = WaitWord.at(seg, 0);
    const waits = Array.from({ length: 5 }, () => w.waitAsync(0, { timeoutMs: 30_000 }));
    await Bun.sleep(50);
    const notifier = await runSyncChild("notify", [name, 0, 1]);
    expect(notifier.exitCode).toBe(0);
    expect(await Promise.all(waits)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
  }, 60_000);

  test("a process whose waitAsync() has finished exits by itself (parked wait threads do not keep it alive)", async () => {
    const name = uniqueName("word");
    using _seg = Segment.create(name, { size: 4096 });
    const child = await runSyncChild("wait-async-exit", [name, 0], 30_000);
    expect(child.signalCode).toBeNull();
    expect(child.stdout).toBe("timed-out\n");
    expect(child.exitCode).toBe(0);
  }, 60_000);
});
