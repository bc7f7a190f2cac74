import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { Mutex, Segment } from "@shmkit/core";
import { exampleRoot, NEEDS_ROBUST, runExample, uniqueSegment } from "./run.ts";

const segment = uniqueSegment("bank");

beforeAll(() => {
  exampleRoot(); // generates the host's accessors where the committed ones are for another target: slow under qemu
}, 120_000);

afterEach(() => {
  Segment.unlink(segment, { ifExists: true });
});

// Robust mutexes are Linux's (glibc and musl), and need the kernel's robust futex lists: the example's bank is
// robust, so where they are missing (qemu-user) only the EEXIST case, which fails before any mutex, runs.
const noRobustLists = !Mutex.robustSupported;
describe.skipIf(process.platform !== "linux")("crash recovery example", () => {
  test.skipIf(noRobustLists)(
    `a worker killed mid-transfer gives owner-died, the supervisor rolls the transfer back and the total holds${NEEDS_ROBUST}`,
    async () => {
      const { code, stdout, stderr } = await runExample(["src/crash-recovery/main.ts", "5"], segment);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toMatch(
        /^worker \d+: debited account 1 for transfer #5, now dying with the lock held$/m,
      );
      expect(stdout).toContain("supervisor: first worker was killed by SIGKILL");
      expect(stdout).toContain('supervisor: lock() returned "owner-died"');
      expect(stdout).toContain("supervisor: total is 2950, should be 3000");
      expect(stdout).toContain(
        "supervisor: rolled back transfer #5 (50 from account 1 to 2): account 1 980 → 1030, account 2 990 → 990",
      );
      expect(stdout).toContain("supervisor: second worker exited with 0");
      expect(stdout).toContain(
        "supervisor: 8 transfers applied (4 by the first worker), balances 970 970 1060, total 3000",
      );
      expect(Segment.exists(segment)).toBe(false);
    },
    60_000,
  );

  test.skipIf(noRobustLists)(
    `a worker killed in its very first transfer is rolled back to the opening balances${NEEDS_ROBUST}`,
    async () => {
      const { code, stdout, stderr } = await runExample(["src/crash-recovery/main.ts", "1"], segment);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toContain(
        "supervisor: rolled back transfer #1 (10 from account 0 to 1): account 0 990 → 1000, account 1 1000 → 1000",
      );
      expect(stdout).toContain(
        "supervisor: 4 transfers applied (0 by the first worker), balances 980 1030 990, total 3000",
      );
    },
    60_000,
  );

  test.skipIf(noRobustLists)(
    `a worker that finishes leaves the lock acquired normally and nothing to repair${NEEDS_ROBUST}`,
    async () => {
      const { code, stdout, stderr } = await runExample(["src/crash-recovery/main.ts", "0"], segment);
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toContain('supervisor: lock() returned "acquired"');
      expect(stdout).not.toContain("rolled back");
      expect(stdout).toContain(
        "supervisor: 12 transfers applied (8 by the first worker), balances 1080 960 960, total 3000",
      );
      expect(Segment.exists(segment)).toBe(false);
    },
    60_000,
  );

  test("a bank left behind by another run is refused with EEXIST and left as it was", async () => {
    using seg = Segment.create(segment, { size: 4096 });
    seg.bytes[100] = 9;
    const { code, stdout, stderr } = await runExample(["src/crash-recovery/main.ts"], segment);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      `crash-recovery: shm_open(${segment}): EEXIST (File exists); another run is using it, or left it: shmkit rm ${segment}\n`,
    );
    expect(seg.bytes[100]).toBe(9);
  }, 60_000);
});
