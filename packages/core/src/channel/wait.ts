import { ShmArgumentError } from "../errors.ts";

/**
 * How a blocked sender or receiver waits once spinning has not paid off.
 *
 * For now it sleeps in short, growing steps (50 µs to 1 ms) and re-checks: correct and CPU-friendly, but a
 * wake-up costs up to the current step. The futex path (FUTEX_WAIT on the epoch word, woken by the other side)
 * belongs to the sync module's WaitWord; this file is the one place to switch over to it, so that shmkit keeps a
 * single futex binding.
 */
export function park(
  _words: Int32Array,
  _index: number,
  _expected: number,
  step: number,
  remainingMs: number,
): void {
  Bun.sleepSync(Math.max(0.001, Math.min(remainingMs, stepMs(step))));
}

/** Wakes whoever parks on `index` (a no-op while parking is sleep-based; the epoch bump is what they see). */
export function unpark(_words: Int32Array, _index: number): void {}

/** The event-loop-friendly wait of `for await`: resolves after a short, growing delay. */
export function parkAsync(step: number): Promise<void> {
  return step === 0 ? new Promise((resolve) => setImmediate(resolve)) : Bun.sleep(stepMs(step));
}

function stepMs(step: number): number {
  return Math.min(1, 0.05 * 2 ** Math.min(step, 5));
}

export interface ChannelWaitOptions {
  /** Give up after this many milliseconds (default: wait forever). `0` tries once. */
  timeoutMs?: number;
  /**
   * Polls before sleeping. Each poll is a few nanoseconds; the default (4000) spins for about 10–40 µs, about the
   * cost of a cross-core futex wake-up. `Infinity` never sleeps (lowest latency, one core busy); `0` sleeps at once.
   */
  spin?: number;
}

export const DEFAULT_SPIN = 4000;

export function checkWait(options: ChannelWaitOptions | undefined): { deadline: number; spin: number } {
  const timeoutMs = options?.timeoutMs ?? Number.POSITIVE_INFINITY;
  const spin = options?.spin ?? DEFAULT_SPIN;
  if (typeof timeoutMs !== "number" || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new ShmArgumentError("timeoutMs", "must be a number of milliseconds ≥ 0, or Infinity", timeoutMs);
  }
  if (typeof spin !== "number" || Number.isNaN(spin) || spin < 0) {
    throw new ShmArgumentError("spin", "must be a number of polls ≥ 0, or Infinity", spin);
  }
  return { deadline: performance.now() + timeoutMs, spin };
}
