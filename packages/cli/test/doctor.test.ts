import { describe, expect, test } from "bun:test";
import { statfsSync } from "node:fs";
import { Condition, Mutex } from "@shmkit/core";
import { hostTarget } from "@shmkit/core/targets";
import type { DoctorReport } from "../src/commands/doctor.ts";
import { shmkit } from "./helpers.ts";

describe("shmkit doctor", () => {
  test("--json reports this host's target, pthread sizes, robust mutexes and /dev/shm as the library sees them", async () => {
    const { code, stdout, stderr } = await shmkit(["doctor", "--json"]);
    expect(stderr).toBe("");
    const report = JSON.parse(stdout) as DoctorReport;
    expect(report.target).toBe(hostTarget().name);
    expect(report.mutex).toEqual(Mutex.layout);
    expect(report.cond).toEqual(Condition.layout);
    expect(report.robustMutexes).toBe(Mutex.robustSupported);
    const stat = statfsSync("/dev/shm");
    expect(report.shm?.totalBytes).toBe(stat.blocks * stat.bsize);
    expect(report.shm?.freeBytes).toBeGreaterThan(0);
    expect(code).toBe(Mutex.robustSupported ? 0 : 1);
  });

  test("prints one line per check, saying what a missing robust-list feature means", async () => {
    const { stdout } = await shmkit(["doctor"]);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^CHECK\s+RESULT$/);
    expect(lines[1]).toContain(`host target     ${hostTarget().name} (pthread_mutex_t ${Mutex.layout.size}/`);
    const robust = lines.find((l) => l.startsWith("robust mutexes"));
    expect(robust).toContain(
      Mutex.robustSupported ? "yes: the kernel keeps robust futex lists" : "no: get_robust_list fails",
    );
    expect(lines.find((l) => l.startsWith("/dev/shm"))).toMatch(/ok: \d+\.\d GiB free of \d+\.\d GiB/);
  });
});
