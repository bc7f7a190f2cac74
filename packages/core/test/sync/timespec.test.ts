import { describe, expect, test } from "bun:test";
import { Segment, WaitWord } from "../../src/index.ts";
import { CLOCK_MONOTONIC } from "../../src/internal/libc/pthread.ts";
import { Timespec } from "../../src/internal/timespec.ts";
import { uniqueName } from "../helpers.ts";

describe("Timespec", () => {
  test("relative time-outs split into seconds and nanoseconds, never with tv_nsec of a full second", () => {
    const t = new Timespec();
    expect([...t.setRelative(1500)]).toEqual([1, 0, 500_000_000, 0]);
    expect([...t.setRelative(0.001)]).toEqual([0, 0, 1000, 0]);
    // 999.9999999 ms rounds to exactly 1 s: it must carry into tv_sec (tv_nsec 1e9 is EINVAL for the kernel).
    expect([...t.setRelative(999.9999999)]).toEqual([1, 0, 0, 0]);
    expect([...t.setRelative(-5)]).toEqual([0, 0, 0, 0]);
  });

  test("deadlines are now plus the time-out on the given clock, normalised", () => {
    const t = new Timespec();
    const before = t.setDeadline(CLOCK_MONOTONIC, 0);
    const start = (before[0] as number) + (before[2] as number) / 1e9;
    const later = t.setDeadline(CLOCK_MONOTONIC, 2500.5);
    expect(later[2] as number).toBeLessThan(1e9);
    const end = (later[0] as number) + (later[2] as number) / 1e9;
    expect(end - start).toBeGreaterThanOrEqual(2.5005);
    expect(end - start).toBeLessThan(2.5005 + 5); // not a speed check: only that it is now-relative
  });

  test("a wait word accepts a time-out just under a whole second", () => {
    using seg = Segment.create(uniqueName("ts"), { size: 64 });
    expect(WaitWord.at(seg, 0).wait(0, { timeoutMs: 999.9999999, spinNs: 0 })).toBe("timed-out");
  });
});
