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

/**
 * Process-shared mutexes and condition variables (glibc 2.34+ has them in libc.so.6; musl always did). pthread
 * functions return the error number instead of setting errno. `pthread_mutex_clocklock` and
 * `pthread_cond_clockwait` (glibc 2.30+, not musl) are looked up separately, in `optionalSymbols()`, so that a
 * libc without them still opens.
 */
export const pthreadSymbols = {
  pthread_mutexattr_init: { args: [FFIType.ptr], returns: FFIType.i32 },
  pthread_mutexattr_destroy: { args: [FFIType.ptr], returns: FFIType.i32 },
  pthread_mutexattr_setpshared: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  pthread_mutexattr_setrobust: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  pthread_mutexattr_settype: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  pthread_mutex_init: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  pthread_mutex_lock: { args: [FFIType.ptr], returns: FFIType.i32 },
  pthread_mutex_trylock: { args: [FFIType.ptr], returns: FFIType.i32 },
  pthread_mutex_timedlock: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  pthread_mutex_unlock: { args: [FFIType.ptr], returns: FFIType.i32 },
  pthread_mutex_consistent: { args: [FFIType.ptr], returns: FFIType.i32 },
  pthread_condattr_init: { args: [FFIType.ptr], returns: FFIType.i32 },
  pthread_condattr_destroy: { args: [FFIType.ptr], returns: FFIType.i32 },
  pthread_condattr_setpshared: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  pthread_condattr_setclock: { args: [FFIType.ptr, FFIType.i32], returns: FFIType.i32 },
  pthread_cond_init: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  pthread_cond_wait: { args: [FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  pthread_cond_timedwait: { args: [FFIType.ptr, FFIType.ptr, FFIType.ptr], returns: FFIType.i32 },
  pthread_cond_signal: { args: [FFIType.ptr], returns: FFIType.i32 },
  pthread_cond_broadcast: { args: [FFIType.ptr], returns: FFIType.i32 },
} as const;

/** Newer pthread calls that take the clock explicitly; absent from musl and glibc before 2.30. */
export const optionalPthreadSymbols = {
  pthread_mutex_clocklock: { args: [FFIType.ptr, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  pthread_cond_clockwait: {
    args: [FFIType.ptr, FFIType.ptr, FFIType.i32, FFIType.ptr],
    returns: FFIType.i32,
  },
} as const;

/**
 * Futex and clocks. `syscall` is variadic; on Linux x86_64 and aarch64 its integer arguments travel in the same
 * registers as fixed ones, and glibc's and musl's `syscall` are assembly that reads no va_list. Declared as
 * `syscall(long nr, void *uaddr, int op, int val, const struct timespec *timeout)`, which is what FUTEX_WAIT
 * and FUTEX_WAKE take; returns -1 with errno set on failure.
 */
export const futexSymbols = {
  syscall: { args: [FFIType.i64, FFIType.ptr, FFIType.i32, FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
  clock_gettime: { args: [FFIType.i32, FFIType.ptr], returns: FFIType.i32 },
} as const;

export const allSymbols = { ...shmSymbols, ...errnoSymbols, ...pthreadSymbols, ...futexSymbols } as const;
