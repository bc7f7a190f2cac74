import { ShmArgumentError, ShmError } from "../errors.ts";
import { errnoName, strerror } from "../internal/libc/errno.ts";
import { libc, optionalSymbols } from "../internal/libc/index.ts";
import {
  ATTR_BYTES,
  CLOCK_MONOTONIC,
  CLOCK_REALTIME,
  EOWNERDEAD,
  EPERM,
  ETIMEDOUT,
  PTHREAD_PROCESS_SHARED,
} from "../internal/libc/pthread.ts";
import { Timespec } from "../internal/timespec.ts";
import type { Segment } from "../segment.ts";
import { Mutex } from "./mutex.ts";
import { assertUsable, checkTimeout, hostType, place } from "./placement.ts";

/**
 * How a wait ended. `"signaled"`: woken by `signal()`/`broadcast()` or spuriously, so re-check your condition in a
 * loop. `"timed-out"`: the time-out passed. `"owner-died"`: woken, but the mutex's previous holder died holding it
 * (see `Mutex.lock`). In every case this thread holds the mutex again.
 */
export type WaitResult = "signaled" | "timed-out" | "owner-died";

/** Options of `Condition.at()`. */
export interface ConditionAtOptions {
  /**
   * The clock the condition was initialised with, used only where libc lacks `pthread_cond_clockwait` (musl,
   * glibc before 2.30). `Condition.init` uses `"monotonic"`; C code that calls no `pthread_condattr_setclock`
   * gets `"realtime"`. Default `"monotonic"`.
   */
  clock?: "monotonic" | "realtime";
}

/**
 * A process-shared `pthread_cond_t` inside a segment, paired with a `Mutex`: wait for shared data to change
 * without spinning, across processes and C.
 *
 * @example
 * ```ts
 * // C: pthread_mutex_lock(&shm->mutex); while (shm->shared_resource == 0) pthread_cond_wait(&shm->cond, &shm->mutex);
 * const m = Mutex.at(seg, 0), c = Condition.at(seg, 40);
 * m.withLock(() => { while (view.getInt32(88, true) === 0) if (c.wait(m, { timeoutMs: 1000 }) === "timed-out") break; });
 * // the other side: m.withLock(() => { view.setInt32(88, 1, true); c.signal(); });
 * ```
 *
 * Blocking: `wait()` blocks the JS thread (no timers, no I/O) until signalled or timed out. For a wait that
 * keeps the event loop running, use `WaitWord.waitAsync`.
 */
export class Condition {
  /** The segment the condition variable lives in. */
  readonly segment: Segment;
  /** Byte offset of the `pthread_cond_t` in the segment. */
  readonly offset: number;
  readonly #clock: number;
  readonly #time = new Timespec();
  readonly #label: string;

  private constructor(segment: Segment, offset: number, clock: number) {
    this.segment = segment;
    this.offset = offset;
    this.#clock = clock;
    this.#label = `${segment.name} @${offset}`;
  }

  /** Size and alignment of `pthread_cond_t` on this host (48 and 8 on glibc x86_64). */
  static get layout(): {
    /** `sizeof(pthread_cond_t)`. */
    size: number;
    /** `_Alignof(pthread_cond_t)`. */
    align: number;
  } {
    return hostType("pthread_cond_t");
  }

  /**
   * Initialises a process-shared condition variable at `offset` (`pthread_cond_init` with PTHREAD_PROCESS_SHARED
   * and CLOCK_MONOTONIC). Do it once, before other processes attach (see `ReadyWord`).
   */
  static init(seg: Segment, offset: number): Condition {
    const { size, align } = hostType("pthread_cond_t");
    const address = place(seg, offset, size, align, "Condition.init");
    const label = `${seg.name} @${offset}`;
    const lib = libc();
    const attr = new BigInt64Array(ATTR_BYTES / 8);
    check(lib.pthread_condattr_init(attr), "pthread_condattr_init", label);
    try {
      check(
        lib.pthread_condattr_setpshared(attr, PTHREAD_PROCESS_SHARED),
        "pthread_condattr_setpshared",
        label,
      );
      check(lib.pthread_condattr_setclock(attr, CLOCK_MONOTONIC), "pthread_condattr_setclock", label);
      check(lib.pthread_cond_init(address as never, attr), "pthread_cond_init", label);
    } finally {
      lib.pthread_condattr_destroy(attr);
    }
    return new Condition(seg, offset, CLOCK_MONOTONIC);
  }

  /**
   * Attaches to a condition variable another process (or C code) initialised at `offset` with
   * PTHREAD_PROCESS_SHARED. Unlike `Mutex.at`, this cannot check the memory: a zeroed `pthread_cond_t` is a valid
   * process-private one, whose waiters other processes cannot wake (their waits then end only by time-out).
   */
  static at(seg: Segment, offset: number, options: ConditionAtOptions = {}): Condition {
    const { size, align } = hostType("pthread_cond_t");
    place(seg, offset, size, align, "Condition.at");
    const clock = options.clock ?? "monotonic";
    if (clock !== "monotonic" && clock !== "realtime") {
      throw new ShmArgumentError("options.clock", 'must be "monotonic" or "realtime"', clock);
    }
    return new Condition(seg, offset, clock === "monotonic" ? CLOCK_MONOTONIC : CLOCK_REALTIME);
  }

  /**
   * Releases `mutex` (which this thread must hold), sleeps until signalled or until `timeoutMs`, and takes the
   * mutex again before returning. Blocks the JS thread. Wakes can be spurious: wait in a loop on your predicate.
   */
  wait(mutex: Mutex, options?: { timeoutMs?: number }): WaitResult {
    if (!(mutex instanceof Mutex)) throw new ShmArgumentError("mutex", "must be a Mutex", mutex);
    const cond = this.#address("wait");
    assertUsable(mutex.segment, "Condition.wait");
    const m = (mutex.segment.ptr as number) + mutex.offset;
    const timeoutMs = options?.timeoutMs;
    if (timeoutMs !== undefined) checkTimeout(timeoutMs);
    if (timeoutMs === undefined || timeoutMs === Number.POSITIVE_INFINITY) {
      return this.#result(libc().pthread_cond_wait(cond as never, m as never), "pthread_cond_wait");
    }
    const clockwait = optionalSymbols().pthread_cond_clockwait;
    if (clockwait) {
      const deadline = this.#time.setDeadline(CLOCK_MONOTONIC, timeoutMs);
      return this.#result(
        clockwait(cond as never, m as never, CLOCK_MONOTONIC, deadline),
        "pthread_cond_clockwait",
      );
    }
    const deadline = this.#time.setDeadline(this.#clock, timeoutMs);
    return this.#result(
      libc().pthread_cond_timedwait(cond as never, m as never, deadline),
      "pthread_cond_timedwait",
    );
  }

  /** Wakes at least one waiter, in any process. Call it holding the mutex, after changing the data. */
  signal(): void {
    const rc = libc().pthread_cond_signal(this.#address("signal") as never);
    if (rc !== 0) throw this.#error("pthread_cond_signal", rc, strerror(rc));
  }

  /** Wakes every waiter, in every process. */
  broadcast(): void {
    const rc = libc().pthread_cond_broadcast(this.#address("broadcast") as never);
    if (rc !== 0) throw this.#error("pthread_cond_broadcast", rc, strerror(rc));
  }

  #address(what: string): number {
    assertUsable(this.segment, `Condition.${what}`);
    return (this.segment.ptr as number) + this.offset;
  }

  #result(rc: number, call: string): WaitResult {
    if (rc === 0) return "signaled";
    if (rc === ETIMEDOUT) return "timed-out";
    if (rc === EOWNERDEAD) return "owner-died";
    if (rc === EPERM)
      throw this.#error(call, rc, "this thread does not hold the mutex; lock() it before wait()");
    throw this.#error(call, rc, strerror(rc));
  }

  #error(call: string, errno: number, detail: string): ShmError {
    return new ShmError({ code: errnoName(errno), errno, syscall: call, segment: this.#label, detail });
  }
}

function check(rc: number, call: string, label: string): void {
  if (rc !== 0) throw ShmError.fromErrno(call, label, rc);
}
