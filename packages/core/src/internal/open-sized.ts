import { ShmError } from "../errors.ts";
import { type OpenOptions, Segment } from "../segment.ts";
import { sleepSync } from "./sleep.ts";

// A creator makes a segment in two steps, `shm_open(O_CREAT)` then `ftruncate`, and an opener can come in between:
// the name exists and is empty. `Segment.open` refuses an empty segment (ESIZE: there is nothing to map); openers
// that wait for a creator anyway (typed segments, channels) retry until their deadline instead. Only emptiness is
// retried: a segment that has bytes but too few fails at once.

type Options = Omit<OpenOptions, "minSize">;

/** Without `minSize`, `Segment.open` fails with ESIZE only when the segment is empty. */
function stillEmpty(error: unknown, deadline: number): boolean {
  return error instanceof ShmError && error.code === "ESIZE" && performance.now() < deadline;
}

function atLeast(segment: Segment, minSize: number, call: string): Segment {
  if (segment.size >= minSize) return segment;
  const size = segment.size;
  segment.close();
  throw ShmError.of(
    "ESIZE",
    call,
    segment.name,
    `the segment has ${size} bytes, fewer than the ${minSize} required`,
  );
}

/**
 * `Segment.open(name)`, retried every millisecond while the segment is empty and `deadline` (a `performance.now()`
 * time) has not passed; then it must hold at least `minSize` bytes (ESIZE for `call`). Blocks the thread.
 */
export function openSized(
  name: string,
  options: Options,
  minSize: number,
  deadline: number,
  call: string,
): Segment {
  for (;;) {
    let segment: Segment;
    try {
      segment = Segment.open(name, options);
    } catch (error) {
      if (!stillEmpty(error, deadline)) throw error;
      sleepSync(1);
      continue;
    }
    return atLeast(segment, minSize, call);
  }
}

/** `openSized` without blocking the event loop. */
export async function openSizedAsync(
  name: string,
  options: Options,
  minSize: number,
  deadline: number,
  call: string,
): Promise<Segment> {
  for (;;) {
    let segment: Segment;
    try {
      segment = Segment.open(name, options);
    } catch (error) {
      if (!stillEmpty(error, deadline)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    return atLeast(segment, minSize, call);
  }
}
