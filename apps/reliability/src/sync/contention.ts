import { Mutex, Segment } from "@shmkit/core";
import { runPrefix } from "../names.ts";
import { MUTEX_OFFSET, SEGMENT_SIZE, W, WORDS_OFFSET } from "./layout.ts";

const CHILD = `${import.meta.dir}/child.ts`;

export interface ContentionReport {
  procs: number;
  increments: number;
  expected: number;
  /** Final count of the plain counter incremented under the mutex. */
  mutex: number;
  /** Final count of the counter incremented with Atomics.add. */
  atomic: number;
  /** The control, not a check: plain increments with no mutex; below `expected` when the processes really raced. */
  unprotected: number;
  failures: string[];
  ms: number;
}

/** P processes start together on a go word and each adds K; returns the final count or the failures. */
async function race(
  kind: "add-mutex" | "add-atomic" | "add-plain",
  procs: number,
  increments: number,
  failures: string[],
) {
  const name = `/${runPrefix(kind)}`;
  using seg = Segment.create(name, { size: SEGMENT_SIZE });
  try {
    const words = new Int32Array(seg.buffer, WORDS_OFFSET, 64);
    // Counting needs a mutex, not its robustness: plain where robust lists are missing (qemu-user refuses robust ones).
    Mutex.init(seg, MUTEX_OFFSET, { robust: Mutex.robustSupported });
    const children = Array.from({ length: procs }, () =>
      Bun.spawn([process.execPath, CHILD, kind, name, String(increments)], {
        stdout: "ignore",
        stderr: "pipe",
        timeout: 300_000,
        killSignal: "SIGKILL",
      }),
    );
    const deadline = performance.now() + 60_000;
    while (Atomics.load(words, W.ready) < procs && performance.now() < deadline) await Bun.sleep(2);
    Atomics.store(words, W.go, 1);
    for (const child of children) {
      await child.exited;
      if (child.exitCode !== 0) {
        failures.push(
          `${kind}: a child ended with exit ${child.exitCode}, signal ${child.signalCode}: ${(
            await new Response(child.stderr).text()
          )
            .trim()
            .slice(-300)}`,
        );
      }
    }
    return Atomics.load(words, kind === "add-atomic" ? W.atomic : W.plain);
  } finally {
    seg.unlink();
  }
}

/** P processes × K increments, under the mutex (a plain counter) and with atomics. Both counts must be exact. */
export async function runContention(procs: number, increments: number): Promise<ContentionReport> {
  const started = performance.now();
  const failures: string[] = [];
  const mutex = await race("add-mutex", procs, increments, failures);
  const atomic = await race("add-atomic", procs, increments, failures);
  const unprotected = await race("add-plain", procs, increments, failures);
  const expected = procs * increments;
  if (mutex !== expected) failures.push(`mutex: count ${mutex}, expected ${expected}`);
  if (atomic !== expected) failures.push(`atomic: count ${atomic}, expected ${expected}`);
  return {
    procs,
    increments,
    expected,
    mutex,
    atomic,
    unprotected,
    failures,
    ms: performance.now() - started,
  };
}

/** `contention: 4 procs × 100000: mutex 400000/400000, atomics 400000/400000` */
export function summarizeContention(r: ContentionReport): string {
  return (
    `contention: ${r.procs} procs × ${r.increments} increments: mutex ${r.mutex}/${r.expected}, ` +
    `atomics ${r.atomic}/${r.expected} (control without the mutex: ${r.unprotected}/${r.expected}; ` +
    `${(r.ms / 1000).toFixed(1)} s)${r.failures.length ? " FAILED" : ""}`
  );
}
