import { lastErrno } from "./libc/errno.ts";
import { libc } from "./libc/index.ts";

// FUTEX_WAIT and FUTEX_WAKE without FUTEX_PRIVATE_FLAG: the word is shared between processes, so the kernel must
// key it by the shared page, not by this process's address space (include/uapi/linux/futex.h).
export const FUTEX_WAIT = 0;
const FUTEX_WAKE = 1;

// SYS_futex: arch/x86/entry/syscalls/syscall_64.tbl (202), include/uapi/asm-generic/unistd.h (98, aarch64).
export function sysFutex(): number {
  if (process.arch === "x64") return 202;
  if (process.arch === "arm64") return 98;
  throw new Error(`shmkit futex waits support Linux x86_64 and aarch64; this is ${process.arch}`);
}

let nr: number | undefined;

/**
 * FUTEX_WAIT on the 32-bit word at `address`: sleeps while it holds `expected`, up to the relative `timeout`
 * (`null`: forever). Returns 0 when woken (perhaps spuriously), else the errno: EAGAIN (the word was not
 * `expected`), ETIMEDOUT, EINTR, or EFAULT (not mapped). Blocks the calling thread.
 */
export function futexWait(address: number, expected: number, timeout: Uint32Array | null): number {
  nr ??= sysFutex();
  const result = libc().syscall(nr, address as never, FUTEX_WAIT, expected | 0, timeout as never);
  return result === 0 ? 0 : lastErrno();
}

/** FUTEX_WAKE: wakes up to `count` threads (in any process) sleeping on the word; returns how many woke. */
export function futexWake(address: number, count: number): number {
  nr ??= sysFutex();
  return libc().syscall(nr, address as never, FUTEX_WAKE, count | 0, null);
}
