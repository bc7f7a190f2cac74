import { describe, expect, test } from "bun:test";
import { Mutex } from "@shmkit/core";
import { seedFromEnv } from "../src/seed.ts";
import { runContention, summarizeContention } from "../src/sync/contention.ts";
import { runOwnerDeath, summarizeOwnerDeath } from "../src/sync/owner-death.ts";

// Recovering from a holder's death needs robust futex lists, which qemu-user lacks (Mutex.robustSupported).
const NEEDS_ROBUST = Mutex.robustSupported
  ? ""
  : " (skipped: needs robust futex lists, which qemu-user lacks)";

describe("owner death", () => {
  test.skipIf(!Mutex.robustSupported)(
    `a lock holder (TypeScript or C) SIGKILLed at random points 40 times: the next locker recovers every time, never hangs${NEEDS_ROBUST}`,
    async () => {
      const report = await runOwnerDeath({
        iterations: 40,
        seed: seedFromEnv(),
        lockTimeoutMs: 15_000,
        maxKillDelayMs: 20,
        withC: true,
      });
      console.log(summarizeOwnerDeath(report));
      expect(report.failures).toEqual([]);
      expect(report.hangs).toBe(0);
      expect(report.recovered).toBe(40);
      // The kills must really land inside the critical section, or "recovered" would test nothing.
      expect(report.ownerDied).toBeGreaterThan(20);
      if (Bun.which("cc") !== null) expect(report.cHolders).toBeGreaterThan(5);
    },
    120_000,
  );
});

describe("contention", () => {
  test("4 processes × 20000 increments give an exact count under the mutex and with atomics", async () => {
    const report = await runContention(4, 20_000);
    console.log(summarizeContention(report));
    expect(report.failures).toEqual([]);
    expect(report.mutex).toBe(80_000);
    expect(report.atomic).toBe(80_000);
  }, 120_000);
});
