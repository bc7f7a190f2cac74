/**
 * The segment the sync checks share: a process-shared mutex at 0, then 32-bit words. Offsets, never pointers.
 */
export const MUTEX_OFFSET = 0;
export const WORDS_OFFSET = 128;
export const SEGMENT_SIZE = 4096;

/** Indexes into `new Int32Array(seg.buffer, WORDS_OFFSET)`. */
export const W = {
  /** Set to 1 by the parent to start every contender at once. */
  go: 0,
  /** Bumped by a lock holder on each pass, so the parent knows it is running before it kills it. */
  alive: 1,
  /** 1 while a holder is between its lock() and its unlock(): the data is half-updated. */
  dirty: 2,
  /** Incremented with plain (non-atomic) read-modify-write, under the mutex only. */
  plain: 3,
  /** Incremented with Atomics.add, no mutex. */
  atomic: 4,
  /** Contenders that have finished. */
  done: 5,
  /** Contenders attached and waiting for the go word. */
  ready: 6,
} as const;
