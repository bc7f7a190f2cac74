import { closeSync, openSync, readSync } from "node:fs";

/**
 * Reads up to `length` bytes at `position` of an open file with pread(2), into a new array: fewer when the
 * file ends first (a segment truncated under us gives a short read, never a SIGBUS).
 *
 * Deno's node:fs takes its own resource ids, not OS descriptors, so there the same open file is reached through
 * /proc/self/fd/<fd> (opened read-only, which needs Deno's --allow-read).
 */
export function readAt(fd: number, position: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  if (!("Deno" in globalThis)) return bytes.subarray(0, readFully(fd, bytes, position));
  const own = openSync(`/proc/self/fd/${fd}`, "r");
  try {
    return bytes.subarray(0, readFully(own, bytes, position));
  } finally {
    closeSync(own);
  }
}

function readFully(fd: number, bytes: Uint8Array, position: number): number {
  let done = 0;
  while (done < bytes.length) {
    const n = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (n === 0) break;
    done += n;
  }
  return done;
}
