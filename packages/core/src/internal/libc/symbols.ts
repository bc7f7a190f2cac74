import { FFIType } from "bun:ffi";

/**
 * The libc functions shmkit calls, as bun:ffi declarations, grouped by area. `libc()` opens them all at once.
 *
 * Conventions: sizes are `u64` (size_t); offsets are `i64` (off_t on LP64 Linux); pointers that can be
 * MAP_FAILED ((void *)-1) are returned as `i64_fast` so that -1 is representable.
 */
export const shmSymbols = {
  shm_open: { args: [FFIType.cstring, FFIType.i32, FFIType.u32], returns: FFIType.i32 },
  shm_unlink: { args: [FFIType.cstring], returns: FFIType.i32 },
  memfd_create: { args: [FFIType.cstring, FFIType.u32], returns: FFIType.i32 },
  ftruncate: { args: [FFIType.i32, FFIType.i64], returns: FFIType.i32 },
  posix_fallocate: { args: [FFIType.i32, FFIType.i64, FFIType.i64], returns: FFIType.i32 },
  fchmod: { args: [FFIType.i32, FFIType.u32], returns: FFIType.i32 },
  // fcntl is variadic; on Linux x86_64 and aarch64 integer varargs travel in the same registers as fixed ones.
  fcntl: { args: [FFIType.i32, FFIType.i32, FFIType.i32], returns: FFIType.i32 },
  close: { args: [FFIType.i32], returns: FFIType.i32 },
  mmap: {
    args: [FFIType.ptr, FFIType.u64, FFIType.i32, FFIType.i32, FFIType.i32, FFIType.i64],
    returns: FFIType.i64_fast,
  },
  munmap: { args: [FFIType.ptr, FFIType.u64], returns: FFIType.i32 },
} as const;

export const errnoSymbols = {
  __errno_location: { args: [], returns: FFIType.ptr },
  strerror: { args: [FFIType.i32], returns: FFIType.cstring },
} as const;

export const allSymbols = { ...shmSymbols, ...errnoSymbols } as const;
