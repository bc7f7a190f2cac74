import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { Mutex, Segment, ShmError } from "@shmkit/core";
import { runPrefix } from "../names.ts";
import { Rng } from "../rng.ts";
import { MUTEX_OFFSET, SEGMENT_SIZE, W, WORDS_OFFSET } from "./layout.ts";

const CHILD = `${import.meta.dir}/child.ts`;

export interface OwnerDeathOptions {
  iterations: number;
  seed: number;
  /** The next locker gives up (a hang) after this long. */
  lockTimeoutMs: number;
  /** The holder is killed 0 to this many ms after it first holds the lock. */
  maxKillDelayMs: number;
  /** Also use a lock holder written in C (compiled with `cc` here), picked at random per iteration. */
  withC: boolean;
}

export interface OwnerDeathReport {
  iterations: number;
  /** Iterations where the next locker got the lock back (and the mutex was usable afterwards). */
  recovered: number;
  /** Of those, how many lock() calls said "owner-died" (the kill landed while the holder held the lock). */
  ownerDied: number;
  hangs: number;
  /** Iterations whose killed holder was the C program (0 when there is no `cc`). */
  cHolders: number;
  failures: string[];
  seed: number;
  ms: number;
}

async function sleep(ms: number): Promise<void> {
  await Bun.sleep(ms);
}

/**
 * N times: a child process loops lock → mark dirty → work → unlock on a robust process-shared mutex; it is
 * SIGKILLed at a random moment; then this process locks. Every time it must get the lock back, with
 * "owner-died" whenever the holder died mid-update, and the mutex must stay usable.
 */
export async function runOwnerDeath(options: OwnerDeathOptions): Promise<OwnerDeathReport> {
  const started = performance.now();
  const rng = new Rng(options.seed);
  const name = `/${runPrefix("owner")}`;
  const report: OwnerDeathReport = {
    iterations: options.iterations,
    recovered: 0,
    ownerDied: 0,
    hangs: 0,
    cHolders: 0,
    failures: [],
    seed: options.seed,
    ms: 0,
  };
  const dir = mkdtempSync(`${tmpdir()}/shmkit-rel-`);
  const cHolder = options.withC ? compileHolder(dir) : undefined;
  using seg = Segment.create(name, { size: SEGMENT_SIZE });
  try {
    const words = new Int32Array(seg.buffer, WORDS_OFFSET, 64);
    const mutex = Mutex.init(seg, MUTEX_OFFSET);
    for (let i = 0; i < options.iterations; i++) {
      const fail = (what: string) => report.failures.push(`iteration ${i} (seed ${options.seed}): ${what}`);
      const aliveBefore = Atomics.load(words, W.alive);
      const inC = cHolder !== undefined && rng.chance(0.5);
      if (inC) report.cHolders++;
      const cmd = inC ? [cHolder, name] : [process.execPath, CHILD, "hold", name];
      const holder = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe" });
      const deadline = performance.now() + 30_000;
      while (Atomics.load(words, W.alive) === aliveBefore && holder.exitCode === null) {
        if (performance.now() > deadline) break;
        await sleep(1);
      }
      if (Atomics.load(words, W.alive) === aliveBefore) {
        holder.kill("SIGKILL");
        await holder.exited;
        fail(`the holder never took the lock: ${await new Response(holder.stderr).text()}`);
        continue;
      }
      await sleep(rng.int(0, options.maxKillDelayMs));
      holder.kill("SIGKILL");
      await holder.exited;
      const dirtyAtDeath = Atomics.load(words, W.dirty);
      let state: "acquired" | "owner-died";
      try {
        state = mutex.lock({ timeoutMs: options.lockTimeoutMs });
      } catch (error) {
        if (error instanceof ShmError && error.code === "ETIMEDOUT") report.hangs++;
        else fail(`lock() after the kill threw ${String(error)}`);
        continue;
      }
      if (dirtyAtDeath === 1 && state !== "owner-died")
        fail("the holder died mid-update but lock() said acquired");
      if (state === "owner-died") {
        report.ownerDied++;
        Atomics.store(words, W.dirty, 0); // the repair
        mutex.markConsistent();
      }
      mutex.unlock();
      // Usable again: a fresh lock is plainly acquired.
      const again = mutex.tryLock();
      if (again === "acquired") mutex.unlock();
      if (again !== "acquired") fail(`after recovery tryLock() gave ${again}`);
      else report.recovered++;
    }
  } finally {
    seg.unlink();
    rmSync(dir, { recursive: true, force: true });
  }
  report.ms = performance.now() - started;
  return report;
}

/** Compiles holder.c; undefined when there is no C compiler. */
function compileHolder(dir: string): string | undefined {
  if (Bun.which("cc") === null) return undefined;
  const out = `${dir}/holder`;
  const cc = Bun.spawnSync(["cc", "-O2", "-pthread", "-o", out, `${import.meta.dir}/holder.c`], {
    stderr: "pipe",
  });
  if (cc.exitCode !== 0) throw new Error(`cc holder.c failed: ${cc.stderr.toString()}`);
  return out;
}

/** `owner-death: 500/500 recovered, 0 hangs` */
export function summarizeOwnerDeath(r: OwnerDeathReport): string {
  const bad = r.recovered !== r.iterations || r.hangs > 0 || r.failures.length > 0;
  return (
    `owner-death: ${r.recovered}/${r.iterations} recovered, ${r.hangs} hangs (${r.ownerDied} kills landed while ` +
    `holding: owner-died; ${r.cHolders} of the holders in C; ${(r.ms / 1000).toFixed(1)} s, seed ${r.seed})${bad ? " FAILED" : ""}`
  );
}
