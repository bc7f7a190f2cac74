import { fstatSync } from "node:fs";
import { ShmError } from "../errors.ts";

/** What `fstat(2)` says of a segment. */
export interface SegmentStat {
  /** Size in bytes. */
  readonly size: number;
  /** Permission bits, such as `0o600`. */
  readonly mode: number;
  /** Owner's user id. */
  readonly uid: number;
  /** Owner's group id. */
  readonly gid: number;
  /** Last modification time, as `fstat` reports it. */
  readonly mtime: Date;
}

/** `fstat(2)` through node:fs (no struct stat layout to get wrong), with failures as ShmError. */
export function fstatOf(fd: number, name: string): SegmentStat {
  let stat: ReturnType<typeof fstatSync>;
  try {
    stat = fstatSync(fd);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw ShmError.fromErrno("fstat", name, Math.abs(e.errno ?? 0));
  }
  return {
    size: Number(stat.size),
    mode: Number(stat.mode) & 0o7777,
    uid: Number(stat.uid),
    gid: Number(stat.gid),
    mtime: stat.mtime,
  };
}
