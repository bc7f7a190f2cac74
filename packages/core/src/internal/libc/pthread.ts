// Linux values from glibc's and musl's <pthread.h>, <time.h> and asm-generic/errno*.h (same on x86_64 and aarch64).
export const PTHREAD_PROCESS_SHARED = 1;
export const PTHREAD_MUTEX_ROBUST = 1;
export const PTHREAD_MUTEX_NORMAL = 0;
export const PTHREAD_MUTEX_ERRORCHECK = 2;
export const CLOCK_REALTIME = 0;
export const CLOCK_MONOTONIC = 1;

export const EPERM = 1;
export const EINTR = 4;
export const EAGAIN = 11;
export const EBUSY = 16;
export const EINVAL = 22;
export const EDEADLK = 35;
export const ENOTSUP = 95;
export const ETIMEDOUT = 110;
export const EOWNERDEAD = 130;
export const ENOTRECOVERABLE = 131;

/** Room for a `pthread_mutexattr_t` (4 bytes on Linux) or `pthread_condattr_t` (4 bytes), with margin. */
export const ATTR_BYTES = 16;
