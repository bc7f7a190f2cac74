import { fstatSync } from "node:fs";
import { ShmError } from "../errors.ts";
import { lastErrno } from "./libc/errno.ts";
import { statxCall } from "./libc/index.ts";

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

// Deno's node:fs takes its own resource ids for fds, not the OS's: a descriptor from shm_open, or an inherited
// one, is EBADF there (and /proc/self/fd/<fd> needs --allow-all). Deno asks the kernel itself, by statx.
const FDS_ARE_RESOURCE_IDS = "Deno" in globalThis;

/** `fstat(2)` through node:fs (no struct stat layout to get wrong), with failures as ShmError. */
export function fstatOf(fd: number, name: string): SegmentStat {
  if (FDS_ARE_RESOURCE_IDS) return statxOf(fd, name);
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

const AT_EMPTY_PATH = 0x1000;
const STATX_BASIC_STATS = 0x7ff;
const EMPTY_PATH = new Uint8Array(1);

/** `statx(fd, "", AT_EMPTY_PATH)`: the same facts as `fstat`, from `struct statx` (one layout on every arch). */
function statxOf(fd: number, name: string): SegmentStat {
  const buffer = new ArrayBuffer(256);
  if (statxCall()(fd, EMPTY_PATH, AT_EMPTY_PATH, STATX_BASIC_STATS, new Uint8Array(buffer)) !== 0) {
    throw ShmError.fromErrno("fstat", name, lastErrno());
  }
  const view = new DataView(buffer);
  // stx_uid @20, stx_gid @24, stx_mode @28 (u16), stx_size @40 (u64), stx_mtime @112 (i64 s, u32 ns).
  const mtimeMs = Number(view.getBigInt64(112, true)) * 1000 + Math.floor(view.getUint32(120, true) / 1e6);
  return {
    size: Number(view.getBigUint64(40, true)),
    mode: view.getUint16(28, true) & 0o7777,
    uid: view.getUint32(20, true),
    gid: view.getUint32(24, true),
    mtime: new Date(mtimeMs),
  };
}
