import { ShmArgumentError, ShmError } from "../errors.ts";
import { futexWait, futexWake } from "../internal/futex.ts";
import { futexWaitOnPool } from "../internal/futex-pool.ts";
import { errnoName, lastErrno, strerror } from "../internal/libc/errno.ts";
import { EAGAIN, EINTR, ETIMEDOUT } from "../internal/libc/pthread.ts";
import { Timespec } from "../internal/timespec.ts";
import type { Segment } from "../segment.ts";
import { assertUsable, checkTimeout, place } from "./placement.ts";

/**
 * How a wait ended, as with `Atomics.wait`: `"not-equal"` (the word did not hold `expected` when called),
 * `"ok"` (it changed, or a `notify()` woke this waiter; wakes can be spurious, so re-read the word), `"timed-out"`.
 */
export type WordWaitResult = "ok" | "not-equal" | "timed-out";

/** Options of `WaitWord.wait()` and `waitAsync()`. */
export interface WordWaitOptions {
  /** Give up after this many milliseconds (default: wait forever). */
  timeoutMs?: number;
  /**
   * Spin on the word for up to this many nanoseconds before sleeping in the kernel (default 10 000). Spinning
   * costs a core but skips the kernel wake-up: on the 2-core VM of test/sync/latency.bench.ts a cross-process
   * round trip took 9–44 µs when both sides slept, 1.6–2.5 µs when both spun (3–12 µs with the `notify()`
   * syscalls). 0 sleeps at once.
   */
  spinNs?: number;
}

/** Default spin before sleeping: a few round trips' worth, well under the cost of one kernel wake-up. */
export const DEFAULT_SPIN_NS = 10_000;

/**
 * A 32-bit word in a segment that processes wait on and wake each other through (Linux futex, not private:
 * it works across processes, and C can share it with `syscall(SYS_futex, &word, FUTEX_WAIT, …)`).
 *
 * @example
 * ```ts
 * const w = WaitWord.at(seg, 96);
 * // consumer                                   // producer (another process)
 * while (w.load() === 0) w.wait(0, { timeoutMs: 1000 });    w.store(1); w.notify();
 * await w.waitAsync(0, { timeoutMs: 1000 });    // the same without blocking the event loop
 * ```
 *
 * The contract is the futex one: change the word, then `notify()`. A waiter re-checks the word before it
 * sleeps, so a change made before it slept is never missed; a `notify()` that changes nothing can be missed.
 *
 * Blocking: `wait()` blocks the JS thread (no timers, no I/O) until woken or timed out. `waitAsync()` does not:
 * it sleeps on a pool thread (one per pending wait, at most 64), and the hand-off back to the JS thread adds
 * to each wake (measured here: median 32–37 µs from `notify()` to the awaiting code, against 5 µs for `wait()`).
 */
export class WaitWord {
  /** The segment the word lives in. */
  readonly segment: Segment;
  /** Byte offset of the word in the segment. */
  readonly offset: number;
  readonly #time = new Timespec();
  readonly #label: string;
  #view: Int32Array | undefined;

  private constructor(segment: Segment, offset: number) {
    this.segment = segment;
    this.offset = offset;
    this.#label = `${segment.name} @${offset}`;
  }

  /** A wait word at `offset` (4-byte aligned, 4 bytes). Any value is valid; a new segment starts at 0. */
  static at(seg: Segment, offset: number): WaitWord {
    place(seg, offset, 4, 4, "WaitWord.at");
    return new WaitWord(seg, offset);
  }

  /** Reads the word (`Atomics.load`). */
  load(): number {
    return Atomics.load(this.#words("load"), 0);
  }

  /** Writes the word (`Atomics.store`); call `notify()` after it to wake sleepers. */
  store(value: number): void {
    Atomics.store(this.#words("store"), 0, value);
  }

  /** Adds to the word atomically and returns the old value. */
  add(delta: number): number {
    return Atomics.add(this.#words("add"), 0, delta);
  }

  /** Sets the word to `replacement` if it holds `expected`; returns the value it held. */
  compareExchange(expected: number, replacement: number): number {
    return Atomics.compareExchange(this.#words("compareExchange"), 0, expected, replacement);
  }

  /**
   * Waits while the word holds `expected`: spins for up to `spinNs`, then sleeps in the kernel (FUTEX_WAIT).
   * Blocks the JS thread.
   */
  wait(expected: number, options?: WordWaitOptions): WordWaitResult {
    const words = this.#words("wait");
    const timeoutMs = options?.timeoutMs ?? Number.POSITIVE_INFINITY;
    checkTimeout(timeoutMs);
    const spinNs = options?.spinNs ?? DEFAULT_SPIN_NS;
    if (typeof spinNs !== "number" || !(spinNs >= 0)) {
      throw new ShmArgumentError("spinNs", "must be a number of nanoseconds >= 0", spinNs);
    }
    const value = expected | 0;
    if (Atomics.load(words, 0) !== value) return "not-equal";
    const start = performance.now();
    const spinUntil = start + Math.min(spinNs / 1e6, timeoutMs);
    // Atomics.load on every turn: the JIT may not hoist it out of the loop (plain reads were seen to spin forever).
    for (let turn = 1; ; turn++) {
      if (Atomics.load(words, 0) !== value) return "ok";
      if ((turn & 63) === 0 && performance.now() >= spinUntil) break;
    }
    const deadline = start + timeoutMs;
    const address = (this.segment.ptr as number) + this.offset;
    for (;;) {
      let timeout: Uint32Array | null = null;
      if (deadline !== Number.POSITIVE_INFINITY) {
        const remaining = deadline - performance.now();
        if (remaining <= 0) return "timed-out";
        timeout = this.#time.setRelative(remaining);
      }
      const errno = futexWait(address, value, timeout);
      if (errno === 0 || errno === EAGAIN) return "ok";
      if (errno === ETIMEDOUT) return "timed-out";
      if (errno !== EINTR) throw this.#error("futex(FUTEX_WAIT)", errno);
    }
  }

  /**
   * Waits like `wait()` but without blocking the event loop: timers and I/O keep running. The promise keeps the
   * process alive while it is pending. Closing the segment does not end it; give it a time-out.
   */
  async waitAsync(expected: number, options?: { timeoutMs?: number }): Promise<WordWaitResult> {
    const words = this.#words("waitAsync");
    const timeoutMs = options?.timeoutMs ?? Number.POSITIVE_INFINITY;
    checkTimeout(timeoutMs);
    const value = expected | 0;
    if (Atomics.load(words, 0) !== value) return "not-equal";
    if (timeoutMs === 0) return "timed-out";
    const address = (this.segment.ptr as number) + this.offset;
    const reply = await futexWaitOnPool(
      address,
      value,
      timeoutMs === Number.POSITIVE_INFINITY ? -1 : timeoutMs,
      this.#label,
    );
    if (reply.result === "error") {
      // The segment was closed before the pool thread got to sleep: its address is no longer mapped (EFAULT).
      assertUsable(this.segment, "WaitWord.waitAsync");
      throw this.#error("futex(FUTEX_WAIT)", reply.errno);
    }
    return reply.result;
  }

  /**
   * Wakes up to `count` sleepers (default: all), in any process, and returns how many woke. Waiters that are
   * still spinning are not counted: they see the change by themselves.
   */
  notify(count: number = Number.POSITIVE_INFINITY): number {
    if (typeof count !== "number" || !(count >= 0)) {
      throw new ShmArgumentError("count", "must be a number >= 0 (Infinity: all)", count);
    }
    this.#words("notify");
    const address = (this.segment.ptr as number) + this.offset;
    const woken = futexWake(address, Math.min(count, 0x7fffffff));
    if (woken < 0) throw this.#error("futex(FUTEX_WAKE)", lastErrno());
    return woken;
  }

  #words(what: string): Int32Array {
    assertUsable(this.segment, `WaitWord.${what}`);
    this.#view ??= new Int32Array(this.segment.buffer, this.offset, 1);
    return this.#view;
  }

  #error(call: string, errno: number): ShmError {
    return new ShmError({
      code: errnoName(errno),
      errno,
      syscall: call,
      segment: this.#label,
      detail: strerror(errno),
    });
  }
}
