import { ShmArgumentError } from "../errors.ts";
import type { WaitWord } from "../sync/wait-word.ts";

/**
 * How a blocked sender or receiver sleeps once spinning has not paid off: FUTEX_WAIT on an epoch word, through
 * the sync module's WaitWord (shmkit's one futex binding). The other side bumps the epoch and wakes it only when
 * the matching sleepers counter says someone may be asleep, so a busy channel makes no system calls.
 */
export function park(word: WaitWord, expected: number, remainingMs: number): void {
  word.wait(expected, { timeoutMs: remainingMs, spinNs: 0 });
}

/** Wakes every process parked on `word` (call after changing what they wait for and bumping the epoch). */
export function unpark(word: WaitWord): void {
  word.notify();
}

/** The event-loop-friendly park of `for await`: the futex wait runs on a pool thread. */
export async function parkAsync(word: WaitWord, expected: number, timeoutMs: number): Promise<void> {
  await word.waitAsync(expected, { timeoutMs });
}

/** Options of the blocking and async channel calls (`send`, `recv`, `reserve`, `peek`, …). */
export interface ChannelWaitOptions {
  /** Give up after this many milliseconds (default: wait forever). `0` tries once. */
  timeoutMs?: number;
  /**
   * How long to poll before sleeping in the kernel, in nanoseconds (default 20 000). A futex wake-up from another
   * core costs about 34 µs here, so spinning for less than that can only win. `Infinity` never sleeps (lowest
   * latency, one core kept busy); `0` sleeps at once (no CPU used while waiting, but every message pays a wake-up).
   */
  spinNs?: number;
}

export const DEFAULT_SPIN_NS = 20_000;

/** The end of spinning, as a `performance.now()` time, from the last `checkWait` (module state: no allocation). */
export let spinUntil = 0;

/**
 * Validates the options and returns the deadline as a `performance.now()` time; sets `spinUntil`. Hot paths call
 * it only once a message or slot is not there at once, and it allocates nothing, so waiting makes no garbage.
 */
export function checkWait(options: ChannelWaitOptions | undefined): number {
  const timeoutMs = options?.timeoutMs ?? Number.POSITIVE_INFINITY;
  const spinNs = options?.spinNs ?? DEFAULT_SPIN_NS;
  if (typeof timeoutMs !== "number" || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new ShmArgumentError("timeoutMs", "must be a number of milliseconds ≥ 0, or Infinity", timeoutMs);
  }
  if (typeof spinNs !== "number" || Number.isNaN(spinNs) || spinNs < 0) {
    throw new ShmArgumentError("spinNs", "must be a number of nanoseconds ≥ 0, or Infinity", spinNs);
  }
  const now = performance.now();
  const deadline = now + timeoutMs;
  // -1: do not spin at all (spinNs 0), so that callers go straight to sleeping.
  spinUntil = spinNs > 0 ? Math.min(deadline, now + spinNs / 1e6) : -1;
  return deadline;
}
