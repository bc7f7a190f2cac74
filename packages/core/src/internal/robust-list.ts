import { ShmError } from "../errors.ts";
import { backend } from "./ffi/index.ts";
import { lastErrno } from "./libc/errno.ts";
import { rawSyscall } from "./libc/index.ts";
import { ENOTSUP } from "./libc/pthread.ts";

/**
 * The kernel's robust futex list, as each libc keeps it for the calling thread (Documentation/locking/
 * robust-futex-ABI.rst). Every robust mutex a thread holds is on that thread's list, linked through the mutex's
 * own bytes; when the thread dies, the kernel walks the list and marks each mutex it still owns
 * `FUTEX_OWNER_DIED`, so that the next `lock()` anywhere returns EOWNERDEAD.
 *
 * This module is per thread by construction: every Worker loads its own copy, and the list it reads is the one of
 * the thread it runs on. See docs/DESIGN.md, "Closing a segment that holds a locked mutex".
 */

// Syscall numbers: arch/x86/entry/syscalls/syscall_64.tbl; include/uapi/asm-generic/unistd.h (aarch64).
const SYSCALLS = {
  x64: { gettid: 186, getRobustList: 274, futex: 202 },
  arm64: { gettid: 178, getRobustList: 100, futex: 98 },
} as const;

// include/uapi/linux/futex.h
const FUTEX_TID_MASK = 0x3fffffff;
const FUTEX_WAKE_OP = 5;
const FUTEX_OP_SET = 0;
const FUTEX_OP_OPARG_SHIFT = 8;
const FUTEX_OP_CMP_EQ = 0;
const FUTEX_OWNER_DIED_BIT = 30;
/** FUTEX_WAKE_OP's operation: `*word = 1 << 30` (FUTEX_OWNER_DIED); never a second wake (cmp 0 == 1 is false). */
const SET_OWNER_DIED =
  (((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT) << 28) |
    (FUTEX_OP_CMP_EQ << 24) |
    (FUTEX_OWNER_DIED_BIT << 12) |
    1) >>>
  0;
const WAKE_ALL = 0x7fffffff;
const ENOSYS = 38;

/**
 * Where each 64-bit libc keeps a mutex's futex word and its list links. The kernel ABI fixes only the entry
 * (which points at the next entry, low bit reserved for priority inheritance) and `futex_offset` in the head; the
 * backward link 8 bytes before each entry is the libc's own.
 * - glibc: `__lock` at 0, `__list.__prev` at 24 and `__list.__next` at 32 (sysdeps/nptl/bits/struct_mutex.h);
 *   the head is preceded by `robust_prev`, so unlinking always writes the next node's backward link
 *   (nptl/descr.h, DEQUEUE_MUTEX in nptl/pthreadP.h).
 * - musl: `_m_lock` at 4, `_m_prev` at 24, `_m_next` at 32 (src/internal/pthread_impl.h); the head has no
 *   backward link, so the last node's successor is left alone (src/thread/pthread_mutex_unlock.c).
 */
const LIBC_LINKS = {
  glibc: { word: 0, entry: 32, headHasPrev: true },
  musl: { word: 4, entry: 32, headHasPrev: false },
} as const;

export type RobustLibc = keyof typeof LIBC_LINKS;

function numbers(): (typeof SYSCALLS)[keyof typeof SYSCALLS] {
  const arch = process.arch;
  if (arch === "x64" || arch === "arm64") return SYSCALLS[arch];
  throw new Error(`shmkit robust mutexes support Linux x86_64 and aarch64; this is ${arch}`);
}

const out = new BigUint64Array(2);
let supported: boolean | undefined;

/**
 * This thread's `robust_list_head` address (`get_robust_list(0, …)`): 0 while the libc has registered none yet
 * (musl registers on the first robust lock), null where the kernel or emulator keeps no robust lists (qemu-user
 * answers ENOSYS, and a robust mutex there is silently not robust).
 */
function headAddress(): number | null {
  out[0] = 0n;
  const rc = rawSyscall()(numbers().getRobustList, 0, out, out.subarray(1), 0, 0, 0);
  if (rc === 0) return Number(out[0]);
  const errno = lastErrno();
  if (errno === ENOSYS) return null;
  throw ShmError.fromErrno("get_robust_list", "this thread", errno);
}

/** True where the kernel keeps robust futex lists, so that a robust mutex's holder dying is recovered. Memoised. */
export function robustListsSupported(): boolean {
  supported ??= headAddress() !== null;
  return supported;
}

/**
 * Releases the robust mutex at `mutex`, which this thread holds, exactly as the kernel does when a thread dies
 * holding it: takes it off this thread's robust list the way the libc's unlock does (announcing the operation
 * in `list_op_pending` first, so that dying half-way is still recovered), then sets the futex word to
 * `FUTEX_OWNER_DIED`, keeping `FUTEX_WAITERS`, and wakes one waiter if there was one (kernel/futex/core.c,
 * handle_futex_death). The next `lock()` in any process returns EOWNERDEAD.
 *
 * Touches only the mutex, its two neighbours on the list (held mutexes, so in live mappings, or the list head in
 * this thread's TLS), and the head. Throws, touching nothing, if the list does not look as this libc keeps it or
 * the mutex is not this thread's.
 */
export function abandonRobustMutex(mutex: number, libc: RobustLibc, label: string): void {
  const links = LIBC_LINKS[libc];
  const head = headAddress();
  if (head === null || head === 0) {
    throw refuse(label, "this thread has no robust futex list, so it cannot hold a robust mutex");
  }
  const view = backend().view;
  const headWords = new BigInt64Array(view(head, 24)); // list, futex_offset, list_op_pending
  const futexOffset = Number(headWords[1]);
  if (futexOffset !== links.word - links.entry) {
    throw refuse(
      label,
      `this thread's robust list has futex_offset ${futexOffset}, not the ${links.word - links.entry} of ${libc}; shmkit does not know this libc's mutex layout`,
    );
  }
  const word = new Int32Array(view(mutex + links.word, 4));
  const tid = rawSyscall()(numbers().gettid, 0, 0, 0, 0, 0, 0);
  if (((Atomics.load(word, 0) as number) & FUTEX_TID_MASK) !== tid) {
    throw refuse(label, "this thread does not hold the mutex");
  }
  const entry = mutex + links.entry;
  const node = new BigUint64Array(view(entry - 8, 16)); // [prev, next]
  const prevRaw = node[0] as bigint;
  const nextRaw = node[1] as bigint;
  const prev = Number(prevRaw & ~1n);
  const next = Number(nextRaw & ~1n);
  if (prev === 0 || next === 0) throw refuse(label, "the mutex is not linked on this thread's robust list");

  headWords[2] = BigInt(entry);
  new BigUint64Array(view(prev, 8))[0] = nextRaw; // the predecessor (or the head) skips us
  if (next !== head || links.headHasPrev) new BigUint64Array(view(next - 8, 8))[0] = prevRaw;
  node[0] = 0n;
  node[1] = 0n;
  // One syscall sets the word to FUTEX_OWNER_DIED and wakes every waiter, so no death of this thread can fall
  // between the two (a set, then a separate wake, would strand a sleeping waiter if a signal killed us in
  // between: the kernel skips a word whose TID is no longer ours). Waking all rather than one is what lets the
  // FUTEX_WAITERS bit go: the waiters that lose the race set it again before they sleep.
  const address = mutex + links.word;
  const rc = rawSyscall()(numbers().futex, address, FUTEX_WAKE_OP, WAKE_ALL, 0, address, SET_OWNER_DIED);
  if (rc < 0) throw ShmError.fromErrno("futex(FUTEX_WAKE_OP)", label, lastErrno());
  headWords[2] = 0n;
}

function refuse(label: string, detail: string): ShmError {
  return new ShmError({ code: "ENOTSUP", errno: ENOTSUP, syscall: "Mutex.abandon", segment: label, detail });
}
