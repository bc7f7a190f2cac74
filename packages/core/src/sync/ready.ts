import { ShmError } from "../errors.ts";
import { EINVAL, ETIMEDOUT } from "../internal/libc/pthread.ts";
import type { Segment } from "../segment.ts";
import { checkTimeout } from "./placement.ts";
import { WaitWord } from "./wait-word.ts";

/** The values of a ready word. A new, zero-filled segment starts `uninitialised`. */
/** The values of a ready word. */
export const READY_STATE = {
  /** Nobody has started (a new segment is zero-filled). */
  uninitialised: 0,
  /** One process won the compare-and-swap and is initialising. */
  initialising: 1,
  /** Initialised; stored last, then every sleeper is woken. */
  ready: 2,
} as const;
/** A ready word's state by name. */
export type ReadyState = keyof typeof READY_STATE;

/** How `initOnce` ended: this process ran the initialiser, or another process had (or has now) done it. */
export type InitOnceResult = "initialised" | "attached";

/** Default time an attacher waits for the creator to finish initialising. */
export const DEFAULT_READY_TIMEOUT_MS = 10_000;

/**
 * The race-free "initialise once, attachers wait until ready" protocol, on a 32-bit word in the segment:
 * 0 uninitialised → 1 initialising (one process wins a compare-and-swap) → 2 ready (stored after the objects are
 * initialised, then every sleeper is woken). Typed segments and channels put one in their header.
 *
 * @example
 * ```ts
 * // every process, creator or not, runs the same code:
 * using seg = Segment.create("/orders", { size: 4096, exclusive: false });
 * const ready = ReadyWord.at(seg, 0);
 * ready.initOnce(() => { Mutex.init(seg, 8); Condition.init(seg, 48); });
 * const m = Mutex.at(seg, 8), c = Condition.at(seg, 48);   // safe: the word is 2
 * // a process that must not initialise: ReadyWord.at(seg, 0).waitReady({ timeoutMs: 5000 });
 * ```
 *
 * In C, the same protocol: `__atomic_compare_exchange_n(&hdr->ready, &zero, 1, …)`, initialise,
 * `__atomic_store_n(&hdr->ready, 2, __ATOMIC_RELEASE)`, `syscall(SYS_futex, &hdr->ready, FUTEX_WAKE, INT_MAX, …)`.
 *
 * If the creator dies while initialising, the word stays 1 and attachers time out with ETIMEDOUT naming that
 * state: unlink and re-create the segment. If the initialiser throws, the word goes back to 0 so that another
 * process can try.
 */
export class ReadyWord {
  /** The underlying 32-bit futex word. */
  readonly word: WaitWord;

  private constructor(word: WaitWord) {
    this.word = word;
  }

  /** The ready word at `offset` (4-byte aligned, 4 bytes). */
  static at(seg: Segment, offset: number): ReadyWord {
    return new ReadyWord(WaitWord.at(seg, offset));
  }

  /** The current state. Throws EINVAL if the word holds something else (a wrong offset, or overwritten memory). */
  get state(): ReadyState {
    return this.#state(this.word.load(), "ReadyWord.state");
  }

  /**
   * Runs `init` if no process has initialised the segment yet, else waits (up to `timeoutMs`, default 10 s)
   * until the process that is doing it is done. Blocks the JS thread while it waits.
   */
  initOnce(init: () => void, options: { timeoutMs?: number } = {}): InitOnceResult {
    const timeoutMs = options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    checkTimeout(timeoutMs);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = this.word.compareExchange(READY_STATE.uninitialised, READY_STATE.initialising);
      if (seen === READY_STATE.uninitialised) {
        try {
          init();
        } catch (error) {
          this.word.store(READY_STATE.uninitialised);
          this.word.notify();
          throw error;
        }
        this.word.store(READY_STATE.ready);
        this.word.notify();
        return "initialised";
      }
      const state = this.#state(seen, "ReadyWord.initOnce");
      if (state === "ready") return "attached";
      const remaining = deadline - performance.now();
      if (remaining <= 0 || this.word.wait(seen, { timeoutMs: remaining }) === "timed-out") {
        throw this.#timeout("ReadyWord.initOnce", timeoutMs);
      }
    }
  }

  /** Waits until the word is ready (up to `timeoutMs`, default 10 s), never initialising. Blocks the JS thread. */
  waitReady(options: { timeoutMs?: number } = {}): void {
    const timeoutMs = options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    checkTimeout(timeoutMs);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = this.word.load();
      if (this.#state(seen, "ReadyWord.waitReady") === "ready") return;
      const remaining = deadline - performance.now();
      if (remaining <= 0 || this.word.wait(seen, { timeoutMs: remaining }) === "timed-out") {
        throw this.#timeout("ReadyWord.waitReady", timeoutMs);
      }
    }
  }

  /** `waitReady` without blocking the event loop. */
  async waitReadyAsync(options: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
    checkTimeout(timeoutMs);
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const seen = this.word.load();
      if (this.#state(seen, "ReadyWord.waitReadyAsync") === "ready") return;
      const remaining = deadline - performance.now();
      if (remaining <= 0 || (await this.word.waitAsync(seen, { timeoutMs: remaining })) === "timed-out") {
        throw this.#timeout("ReadyWord.waitReadyAsync", timeoutMs);
      }
    }
  }

  #state(value: number, call: string): ReadyState {
    if (value === READY_STATE.uninitialised) return "uninitialised";
    if (value === READY_STATE.initialising) return "initialising";
    if (value === READY_STATE.ready) return "ready";
    throw new ShmError({
      code: "EINVAL",
      errno: EINVAL,
      syscall: call,
      segment: this.#label(),
      detail: `the ready word holds ${value}, not 0, 1 or 2: check the offset, and that nothing else writes there`,
    });
  }

  #timeout(call: string, timeoutMs: number): ShmError {
    const state = this.word.load();
    return new ShmError({
      code: "ETIMEDOUT",
      errno: ETIMEDOUT,
      syscall: call,
      segment: this.#label(),
      detail:
        state === READY_STATE.initialising
          ? `not ready after ${timeoutMs} ms: its creator is still initialising it, or died doing so; if it died, unlink and re-create the segment`
          : `not ready after ${timeoutMs} ms: no process has started initialising it (state ${state})`,
    });
  }

  #label(): string {
    return `${this.word.segment.name} @${this.word.offset}`;
  }
}
