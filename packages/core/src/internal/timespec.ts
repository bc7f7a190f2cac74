import { libc } from "./libc/index.ts";

/**
 * A `struct timespec` (64-bit `tv_sec`, `tv_nsec`: LP64 Linux) in a small reusable buffer, so that timed waits
 * allocate nothing. Written as 32-bit halves to stay clear of BigInt on the hot path (the targets are little-endian).
 */
export class Timespec {
  readonly words: Uint32Array;

  /** `words`: where to write it, such as a shared buffer that another thread hands to the kernel. */
  constructor(words: Uint32Array = new Uint32Array(4)) {
    this.words = words;
  }

  /** Sets a relative time-out of `ms` milliseconds (FUTEX_WAIT takes a relative time). */
  setRelative(ms: number): Uint32Array {
    const ns = Math.round(clamp(ms) * 1e6);
    this.#set(Math.floor(ns / 1e9), ns % 1e9);
    return this.words;
  }

  /** Sets the absolute time `ms` milliseconds from now on `clock` (pthread calls take absolute deadlines). */
  setDeadline(clock: number, ms: number): Uint32Array {
    libc().clock_gettime(clock, this.words);
    const w = this.words;
    const nowSec = (w[0] as number) + (w[1] as number) * 2 ** 32;
    const ns = Math.round(clamp(ms) * 1e6) + (w[2] as number);
    this.#set(nowSec + Math.floor(ns / 1e9), ns % 1e9);
    return this.words;
  }

  #set(sec: number, nsec: number): void {
    const w = this.words;
    w[0] = sec >>> 0;
    w[1] = Math.floor(sec / 2 ** 32);
    w[2] = nsec;
    w[3] = 0;
  }
}

/** Time-outs past 10^12 ms (about 31 years) are treated as that long, which keeps the arithmetic exact enough. */
function clamp(ms: number): number {
  return Math.min(Math.max(0, ms), 1e12);
}
