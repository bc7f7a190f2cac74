import { describe, expect, test } from "bun:test";
import {
  formatFailures,
  runBadInput,
  summarizeBadInput,
  summarizeChannelHeaders,
  summarizeMutexGarbage,
  summarizeTypedHeaders,
} from "../src/bad-input/run.ts";
import { seedFromEnv } from "../src/seed.ts";

describe("bad-input fuzzing of segments", () => {
  test("2000 random calls (segments, fds, corrupt typed segments, channels and mutexes) end in success or the right typed error, never a signal or a hang", async () => {
    const report = await runBadInput({
      seed: seedFromEnv(),
      cases: 2000,
      batch: 100,
      concurrency: 2,
      timeoutMs: 5_000,
    });
    console.log(summarizeBadInput(report));
    console.log(summarizeTypedHeaders(report));
    console.log(summarizeChannelHeaders(report));
    console.log(summarizeMutexGarbage(report));
    for (const line of formatFailures(report)) console.log(line);
    expect(report.failures).toEqual([]);
    expect(report.ok + report.typed).toBe(2000);
    // The generator must keep reaching the interesting paths, or the zero above means nothing.
    for (const code of [
      "ENOENT",
      "EEXIST",
      "ESIZE",
      "EACCES",
      "EBADF",
      "ENODEV",
      "EUNTRUSTED",
      "arg:name",
      "arg:size",
    ]) {
      expect(report.codes[code] ?? 0).toBeGreaterThan(0);
    }
    expect(report.ok).toBeGreaterThan(200);
    expect(report.ops.typed?.ok ?? 0).toBeGreaterThan(10);
    expect(report.ops.channel?.ok ?? 0).toBeGreaterThan(10);
    expect(report.ops.mutex?.ok ?? 0).toBeGreaterThan(5);
  }, 120_000);

  test("a case that kills its child with SIGSEGV is caught and attributed to that one case", async () => {
    const report = await runBadInput({
      seed: 7,
      cases: 40,
      batch: 40,
      concurrency: 1,
      timeoutMs: 30_000,
      inject: { crashAt: 23 },
    });
    expect(report.crashes).toBe(1);
    expect(report.failures.map((f) => [f.index, f.kind])).toEqual([[23, "crash"]]);
    expect(report.failures[0]?.detail).toContain("SIGSEGV");
    expect(report.ok + report.typed).toBe(39);
  }, 120_000);

  test("a case that hangs its child is killed after the time-out and reported as a hang", async () => {
    const report = await runBadInput({
      seed: 7,
      cases: 4,
      batch: 4,
      concurrency: 1,
      // The time-out covers the child's start, which takes seconds for a Bun under qemu-user; the hang is for ever.
      timeoutMs: 5_000,
      inject: { hangAt: 2 },
    });
    expect(report.hangs).toBe(1);
    expect(report.failures.map((f) => [f.index, f.kind])).toEqual([[2, "hang"]]);
    expect(report.ok + report.typed).toBe(3);
  }, 120_000);
});
