import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { Mutex, ReadyWord, Segment, WaitWord } from "../../src/index.ts";
import { ROBUST_IF_SUPPORTED, uniqueName } from "../helpers.ts";
import { Child, type CompiledC, compileC } from "./children.ts";

describe("WaitWord with C", () => {
  let c: CompiledC | undefined;
  beforeAll(async () => {
    c = await compileC("futex.c");
  }, 60_000);
  afterAll(() => c?.remove());

  test("a C process in FUTEX_WAIT on the word is woken by store() and notify() from shmkit", async () => {
    if (!c) {
      console.warn("skipped: no C compiler (cc) on PATH");
      return;
    }
    const name = uniqueName("cword");
    using seg = Segment.create(name, { size: 4096 });
    const w = WaitWord.at(seg, 20);
    const waiter = new Child([c.bin, "wait", name, "20"]);
    try {
      expect(await waiter.nextLine()).toBe("waiting");
      // A wake with the word unchanged sends the C process back to sleep; the first one that wakes it proves
      // that shmkit's FUTEX_WAKE reaches a C waiter on the same word.
      let woken = 0;
      const deadline = Date.now() + 20_000;
      while (woken === 0 && Date.now() < deadline) {
        await Bun.sleep(10);
        woken = w.notify();
      }
      expect(woken).toBe(1);
      w.store(9);
      w.notify();
      const result = await waiter.done();
      expect(result.rest).toEqual(["ok 9"]);
      expect(result.exitCode).toBe(0);
    } finally {
      waiter.proc.kill("SIGKILL");
    }
  }, 60_000);

  test("shmkit's waitAsync() is woken by a C process's FUTEX_WAKE", async () => {
    if (!c) {
      console.warn("skipped: no C compiler (cc) on PATH");
      return;
    }
    const name = uniqueName("cword");
    using seg = Segment.create(name, { size: 4096 });
    const w = WaitWord.at(seg, 20);
    const waiting = w.waitAsync(0, { timeoutMs: 20_000 });
    // The C process retries FUTEX_WAKE until it wakes a sleeper (the pool thread), before changing the word:
    // "woke 1" means its wake, not a changed word, ended the wait.
    const waker = new Child([c.bin, "wake", name, "20", "5"]);
    expect(await waiting).toBe("ok");
    const woke = await waker.done();
    expect(woke.exitCode).toBe(0);
    expect(woke.rest).toEqual(["woke 1"]);
    expect(w.load()).toBe(5);
  }, 60_000);

  test("a C creator following the ReadyWord protocol releases a shmkit process waiting in waitReadyAsync()", async () => {
    if (!c) {
      console.warn("skipped: no C compiler (cc) on PATH");
      return;
    }
    const name = uniqueName("cword");
    using seg = Segment.create(name, { size: 4096 });
    const ready = ReadyWord.at(seg, 0);
    // The mutex is not there yet: attaching now is refused rather than left to hang.
    expect(() => Mutex.at(seg, 8)).toThrow("EINVAL");
    const creator = new Child([c.bin, "ready", name, "0", ...(Mutex.robustSupported ? [] : ["plain"])]);
    await ready.waitReadyAsync({ timeoutMs: 20_000 });
    expect(ready.state).toBe("ready");
    const m = Mutex.at(seg, 8);
    expect(m.robust).toBe(Mutex.robustSupported);
    expect(m.lock()).toBe("acquired");
    m.unlock();
    const result = await creator.done();
    expect(result.rest).toEqual(["initialised"]);
    // shmkit's initOnce sees the segment as initialised by C and does not run its initialiser.
    expect(ready.initOnce(() => Mutex.init(seg, 8, ROBUST_IF_SUPPORTED))).toBe("attached");
  }, 60_000);
});
