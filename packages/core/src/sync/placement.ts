import { ShmArgumentError, ShmError } from "../errors.ts";
import type { Segment } from "../segment.ts";
import { hostTarget } from "../targets/index.ts";
import type { LibcTypeName, TypeInfo } from "../targets/table.ts";

/** Size and alignment of a libc type on this host, from the per-target table layout-gen uses too. */
export function hostType(name: LibcTypeName): TypeInfo {
  return hostTarget().libcTypes[name];
}

/**
 * Checks that an object of `size` bytes aligned to `align` can live at `offset` in `seg`, that the segment is
 * open and writable, and returns the object's address. `what` names the API in errors (`Mutex.at`).
 */
export function place(seg: Segment, offset: number, size: number, align: number, what: string): number {
  assertUsable(seg, what);
  if (seg.readonly) {
    throw ShmError.of(
      "EREADONLY",
      what,
      seg.name,
      "a read-only segment is a private copy-on-write mapping, so waits and locks in it cannot reach other processes; open it without readonly",
    );
  }
  if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) {
    throw new ShmArgumentError("offset", "must be a non-negative integer", offset);
  }
  if (offset % align !== 0) {
    throw new ShmArgumentError(
      "offset",
      `must be a multiple of ${align} (the alignment the type needs)`,
      offset,
    );
  }
  if (offset + size > seg.size) {
    throw new ShmArgumentError(
      "offset",
      `must leave ${size} bytes inside the ${seg.size}-byte segment ${seg.name} (at most ${seg.size - size})`,
      offset,
    );
  }
  return (seg.ptr as number) + offset;
}

/** Throws ECLOSED if `seg` was closed, before any libc call can touch its unmapped memory. */
export function assertUsable(seg: Segment, what: string): void {
  if (seg.closed) {
    throw ShmError.of(
      "ECLOSED",
      what,
      seg.name,
      "the segment was closed in this process, so its memory is unmapped; open it again and attach anew",
    );
  }
}

/** A time-out in milliseconds: 0 or more; Infinity waits forever. */
export function checkTimeout(timeoutMs: unknown): void {
  if (typeof timeoutMs !== "number" || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new ShmArgumentError(
      "timeoutMs",
      "must be a number of milliseconds >= 0 (Infinity: no time-out)",
      timeoutMs,
    );
  }
}
