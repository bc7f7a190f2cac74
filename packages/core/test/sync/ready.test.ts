import { describe, expect, test } from "bun:test";
import { Mutex, ReadyWord, Segment } from "../../src/index.ts";
import { errorOf, uniqueName } from "../helpers.ts";
import { runSyncChild, syncChild } from "./children.ts";

describe("ReadyWord", () => {
  test("4 processes racing through initOnce: exactly one initialises, the others wait and then use its mutex", async () => {
    const name = uniqueName("ready");
    // Every racer creates-or-opens the segment itself; the slow initialiser (300 ms) makes the others wait.
    const racers = [1, 2, 3, 4].map(() => runSyncChild("init-once", [name, 300], 60_000));
    const results = await Promise.all(racers);
    for (const r of results) {
      expect(r.stderr).toBe("");
      expect(r.exitCode).toBe(0);
    }
    const lines = results.map((r) => r.stdout.trim()).sort();
    expect(lines).toEqual([
      "attached acquired 1234",
      "attached acquired 1234",
      "attached acquired 1234",
      "initialised acquired 1234",
    ]);
  }, 90_000);

  test("waitReady() returns once another process publishes, and waitReadyAsync() too", async () => {
    const name = uniqueName("ready");
    using seg = Segment.create(name, { size: 4096 });
    const ready = ReadyWord.at(seg, 0);
    expect(ready.state).toBe("uninitialised");
    const publisher = syncChild("publish-ready", [name, 100]);
    try {
      await ready.waitReadyAsync({ timeoutMs: 20_000 });
      expect(ready.state).toBe("ready");
      ready.waitReady({ timeoutMs: 1 });
      expect(Mutex.at(seg, 8).robust).toBe(Mutex.robustSupported);
      const result = await publisher.done();
      expect(result.rest).toEqual(["initialised"]);
    } finally {
      publisher.proc.kill("SIGKILL");
    }
  }, 60_000);

  test("waitReady() times out with ETIMEDOUT naming the state when nobody initialises", () => {
    using seg = Segment.create(uniqueName("ready"), { size: 4096 });
    const ready = ReadyWord.at(seg, 0);
    const untouched = errorOf(() => ready.waitReady({ timeoutMs: 30 }));
    expect(untouched.code).toBe("ETIMEDOUT");
    expect(untouched.message).toContain("no process has started initialising it");
    // A creator that died half-way leaves the word at 1.
    new Int32Array(seg.buffer, 0, 1)[0] = 1;
    const stuck = errorOf(() => ready.initOnce(() => {}, { timeoutMs: 30 }));
    expect(stuck.code).toBe("ETIMEDOUT");
    expect(stuck.message).toContain("died doing so; if it died, unlink and re-create the segment");
  });

  test("an initialiser that throws puts the word back to uninitialised so that the next one can try", () => {
    using seg = Segment.create(uniqueName("ready"), { size: 4096 });
    const ready = ReadyWord.at(seg, 0);
    expect(() =>
      ready.initOnce(() => {
        throw new Error("disk on fire");
      }),
    ).toThrow("disk on fire");
    expect(ready.state).toBe("uninitialised");
    expect(ready.initOnce(() => {})).toBe("initialised");
    expect(ready.initOnce(() => {})).toBe("attached");
  });

  test("a word holding something other than 0, 1 or 2 is reported as EINVAL, not waited on", () => {
    using seg = Segment.create(uniqueName("ready"), { size: 4096 });
    new Int32Array(seg.buffer, 4, 1)[0] = 77;
    const ready = ReadyWord.at(seg, 4);
    const error = errorOf(() => ready.waitReady({ timeoutMs: 10_000 }));
    expect(error.code).toBe("EINVAL");
    expect(error.message).toContain("holds 77");
  });
});
