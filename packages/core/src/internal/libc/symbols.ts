import type { Declarations } from "../ffi/port.ts";

/**
 * The libc functions shmkit calls, in the FFI port's notation (`internal/ffi/port.ts`), grouped by area. `libc()` opens them all at once.
 *
 * Conventions: sizes are `u64` (size_t); offsets are `i64` (off_t on LP64 Linux); pointers that can be
 * MAP_FAILED ((void *)-1) are returned as `i64` so that -1 is representable.
 */
export const shmSymbols = {
  shm_open: { args: ["cstring", "i32", "u32"], returns: "i32" },
  shm_unlink: { args: ["cstring"], returns: "i32" },
  memfd_create: { args: ["cstring", "u32"], returns: "i32" },
  ftruncate: { args: ["i32", "i64"], returns: "i32" },
  posix_fallocate: { args: ["i32", "i64", "i64"], returns: "i32" },
  fchmod: { args: ["i32", "u32"], returns: "i32" },
  // fcntl is variadic; on Linux x86_64 and aarch64 integer varargs travel in the same registers as fixed ones.
  fcntl: { args: ["i32", "i32", "i32"], returns: "i32" },
  close: { args: ["i32"], returns: "i32" },
  mmap: {
    args: ["ptr", "u64", "i32", "i32", "i32", "i64"],
    returns: "i64",
  },
  munmap: { args: ["ptr", "u64"], returns: "i32" },
} as const satisfies Declarations;

export const errnoSymbols = {
  __errno_location: { args: [], returns: "ptr" },
  strerror: { args: ["i32"], returns: "cstring" },
} as const satisfies Declarations;

/**
 * Process-shared mutexes and condition variables (glibc 2.34+ has them in libc.so.6; musl always did). pthread
 * functions return the error number instead of setting errno. `pthread_mutex_clocklock` and
 * `pthread_cond_clockwait` (glibc 2.30+, not musl) are looked up separately, in `optionalSymbols()`, so that a
 * libc without them still opens.
 */
export const pthreadSymbols = {
  pthread_mutexattr_init: { args: ["ptr"], returns: "i32" },
  pthread_mutexattr_destroy: { args: ["ptr"], returns: "i32" },
  pthread_mutexattr_setpshared: { args: ["ptr", "i32"], returns: "i32" },
  pthread_mutexattr_setrobust: { args: ["ptr", "i32"], returns: "i32" },
  pthread_mutexattr_settype: { args: ["ptr", "i32"], returns: "i32" },
  pthread_mutex_init: { args: ["ptr", "ptr"], returns: "i32" },
  pthread_mutex_lock: { args: ["ptr"], returns: "i32" },
  pthread_mutex_trylock: { args: ["ptr"], returns: "i32" },
  pthread_mutex_timedlock: { args: ["ptr", "ptr"], returns: "i32" },
  pthread_mutex_unlock: { args: ["ptr"], returns: "i32" },
  pthread_mutex_consistent: { args: ["ptr"], returns: "i32" },
  pthread_condattr_init: { args: ["ptr"], returns: "i32" },
  pthread_condattr_destroy: { args: ["ptr"], returns: "i32" },
  pthread_condattr_setpshared: { args: ["ptr", "i32"], returns: "i32" },
  pthread_condattr_setclock: { args: ["ptr", "i32"], returns: "i32" },
  pthread_cond_init: { args: ["ptr", "ptr"], returns: "i32" },
  pthread_cond_wait: { args: ["ptr", "ptr"], returns: "i32" },
  pthread_cond_timedwait: { args: ["ptr", "ptr", "ptr"], returns: "i32" },
  pthread_cond_signal: { args: ["ptr"], returns: "i32" },
  pthread_cond_broadcast: { args: ["ptr"], returns: "i32" },
} as const satisfies Declarations;

/** Newer pthread calls that take the clock explicitly; absent from musl and glibc before 2.30. */
export const optionalPthreadSymbols = {
  pthread_mutex_clocklock: { args: ["ptr", "i32", "ptr"], returns: "i32" },
  pthread_cond_clockwait: {
    args: ["ptr", "ptr", "i32", "ptr"],
    returns: "i32",
  },
} as const satisfies Declarations;

/**
 * Futex and clocks. `syscall` is variadic; on Linux x86_64 and aarch64 its integer arguments travel in the same
 * registers as fixed ones, and glibc's and musl's `syscall` are assembly that reads no va_list. Declared as
 * `syscall(long nr, void *uaddr, int op, int val, const struct timespec *timeout)`, which is what FUTEX_WAIT
 * and FUTEX_WAKE take; returns -1 with errno set on failure.
 */
export const futexSymbols = {
  syscall: { args: ["i64", "ptr", "i32", "i32", "ptr"], returns: "i32" },
  clock_gettime: { args: ["i32", "ptr"], returns: "i32" },
} as const satisfies Declarations;

export const allSymbols = {
  ...shmSymbols,
  ...errnoSymbols,
  ...pthreadSymbols,
  ...futexSymbols,
} as const satisfies Declarations;
