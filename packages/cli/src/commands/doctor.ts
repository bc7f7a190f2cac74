import { statfsSync } from "node:fs";
import { Condition, Mutex } from "@shmkit/core";
import { hostTarget } from "@shmkit/core/targets";
import type { Command } from "commander";
import { action, EXIT } from "../action.ts";
import { painter, printJson, println, table } from "../output.ts";
import { type RuntimeInfo, runtimeInfo } from "../system/runtime.ts";

interface DoctorOptions {
  json?: boolean;
}

/** What `shmkit doctor --json` prints. */
export interface DoctorReport {
  target: string;
  mutex: { size: number; align: number };
  cond: { size: number; align: number };
  /** False where the kernel or emulator keeps no robust futex lists (qemu-user): robust mutexes are refused. */
  robustMutexes: boolean;
  shm: { path: string; freeBytes: number; totalBytes: number } | null;
  /** The runtime running this command and core's FFI back-end there. */
  runtime: RuntimeInfo;
}

const SHM_DIR = "/dev/shm";

/** `shmkit doctor [--json]`: what this host gives shmkit, and what it lacks. */
export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description(
      "check what this host gives shmkit: the target and its pthread sizes, the runtime, robust mutexes, room in /dev/shm",
    )
    .option("--json", "print a JSON object instead of text")
    .addHelpText(
      "after",
      "\nExit status: 0 if everything shmkit relies on is there, 1 if something is missing (each line says what)." +
        "\n\nExample:\n  $ shmkit doctor",
    )
    .action(action("doctor", (options: DoctorOptions) => doctor(options)));
}

function doctor(options: DoctorOptions): number {
  const report = examine();
  const healthy = report.robustMutexes && report.shm !== null;
  if (options.json) {
    printJson(report);
    return healthy ? EXIT.ok : EXIT.problem;
  }
  const paint = painter();
  const good = (text: string) => paint("green", text);
  const bad = (text: string) => paint("red", text);
  const rows = [
    [
      "host target",
      `${report.target} (pthread_mutex_t ${report.mutex.size}/${report.mutex.align}, pthread_cond_t ${report.cond.size}/${report.cond.align})`,
    ],
    ["runtime", `${report.runtime.name} ${report.runtime.version} (libc through ${report.runtime.ffi})`],
    [
      "robust mutexes",
      report.robustMutexes
        ? `${good("yes")}: the kernel keeps robust futex lists, so when a holder dies the next lock() returns "owner-died"`
        : `${bad("no")}: get_robust_list fails here (qemu-user does not emulate it); Mutex.init throws ENOTSUP unless given { robust: false }, and a holder's death then leaves the mutex locked`,
    ],
    [
      SHM_DIR,
      report.shm
        ? `${good("ok")}: ${gib(report.shm.freeBytes)} free of ${gib(report.shm.totalBytes)}`
        : `${bad("missing")}: no ${SHM_DIR} to hold named segments (Segment.anonymous still works)`,
    ],
  ];
  println(table(["CHECK", "RESULT"], rows, []));
  return healthy ? EXIT.ok : EXIT.problem;
}

function examine(): DoctorReport {
  let shm: DoctorReport["shm"] = null;
  try {
    const stat = statfsSync(SHM_DIR);
    shm = { path: SHM_DIR, freeBytes: stat.bavail * stat.bsize, totalBytes: stat.blocks * stat.bsize };
  } catch (error) {
    // No /dev/shm (or not readable): reported as missing. An error without an errno code is the runtime's own
    // refusal (Deno opens /dev/shm only with --allow-all), not an answer about the host.
    if (typeof (error as { code?: unknown }).code !== "string") throw error;
  }
  return {
    target: hostTarget().name,
    mutex: Mutex.layout,
    cond: Condition.layout,
    robustMutexes: Mutex.robustSupported,
    shm,
    // After Mutex.robustSupported, whose libc calls made core choose its back-end (or throw, saying why not).
    runtime: runtimeInfo(),
  };
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
