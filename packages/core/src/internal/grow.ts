import { ShmError } from "../errors.ts";
import { lastErrno } from "./libc/errno.ts";
import { libc } from "./libc/index.ts";
import { fstatOf } from "./stat.ts";

/**
 * Makes the object at least `size` bytes, never smaller. With `exclusive: false` a creator and an opener can race
 * to size the same new object; a shrink would pull memory out from under the other's mapping (SIGBUS there).
 * posix_fallocate only ever grows the file, and reserves the pages too. Without `reserve`, ftruncate grows it only
 * when fstat says it is smaller (a narrow window remains if two processes do this at once with different sizes).
 */
export function growTo(fd: number, name: string, size: number, reserve: boolean): void {
  if (reserve) {
    // posix_fallocate returns the error number instead of setting errno.
    const errno = libc().posix_fallocate(fd, 0, size);
    if (errno !== 0) throw ShmError.fromErrno("posix_fallocate", name, errno);
    return;
  }
  if (fstatOf(fd, name).size < size && libc().ftruncate(fd, size) < 0) {
    throw ShmError.fromErrno("ftruncate", name, lastErrno());
  }
}
