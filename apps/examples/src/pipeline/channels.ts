// The two channels of the pipeline, named after the segment the runner was given.
export const BASE = process.env.SHMKIT_EXAMPLE_SEGMENT ?? "/shmkit-example-pipeline";
export const RAW = `${BASE}-raw`; // source → transform, messages of struct Raw
export const CONVERTED = `${BASE}-converted`; // transform → sink, messages of struct Converted
/** How long a stage waits for its neighbour before it decides the neighbour is gone. */
export const WAIT = { timeoutMs: 10_000 };

/** The reading the source makes for record `seq`; the sink recomputes it to check what arrived. */
export function celsiusOf(seq: number): number {
  return ((seq * 7) % 600) / 10 - 20;
}

export function fahrenheitOf(celsius: number): number {
  return (celsius * 9) / 5 + 32;
}

/**
 * An accessor per slot offset, made on first use and kept: messages always land at the same few offsets, so the
 * hot loop allocates nothing and repeats no bounds checks.
 */
export function slotAccessors<T>(attach: (offset: number) => T): (offset: number) => T {
  const made = new Map<number, T>();
  return (offset) => {
    let accessor = made.get(offset);
    if (accessor === undefined) {
      accessor = attach(offset);
      made.set(offset, accessor);
    }
    return accessor;
  };
}
