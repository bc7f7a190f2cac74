import { ShmArgumentError, ShmError } from "../errors.ts";
import { type HeldLock, isHeld, noteLocked, noteUnlocked } from "../internal/held-locks.ts";
import { errnoName, strerror } from "../internal/libc/errno.ts";
import { libc, optionalSymbols } from "../internal/libc/index.ts";
import {
  ATTR_BYTES,
  CLOCK_MONOTONIC,
  CLOCK_REALTIME,
  EBUSY,
  EDEADLK,
  EINVAL,
  ENOTRECOVERABLE,
  ENOTSUP,
  EOWNERDEAD,
  EPERM,
  ETIMEDOUT,
  PTHREAD_MUTEX_ERRORCHECK,
  PTHREAD_MUTEX_NORMAL,
  PTHREAD_MUTEX_ROBUST,
  PTHREAD_PROCESS_SHARED,
} from "../internal/libc/pthread.ts";
import { abandonRobustMutex, robustListsSupported } from "../internal/robust-list.ts";
import { Timespec } from "../internal/timespec.ts";
import type { Segment } from "../segment.ts";
import { hostTarget } from "../targets/index.ts";
import { assertUsable, checkTimeout, hostType, place } from "./placement.ts";

/** What `lock()` got: the lock, or the lock of an owner that died holding it (repair, then `markConsistent()`). */
export type LockResult = "acquired" | "owner-died";

/** Options of `Mutex.init()`. */
export interface MutexInitOptions {
  /**
   * Robust (default `true`): if the holder dies, the next `lock()` returns `"owner-died"` instead of waiting
   * forever (`pthread_mutexattr_setrobust`).
   */
  robust?: boolean;
  /**
   * Error-checking (default `true`): locking twice from the same thread throws EDEADLK instead of freezing the
   * JS thread forever, and `unlock()` by a non-holder throws EPERM (`PTHREAD_MUTEX_ERRORCHECK`).
   */
  errorCheck?: boolean;
}

/** Options of `lock()` and `withLock()`. */
export interface LockOptions {
  /** Give up after this many milliseconds with ShmError ETIMEDOUT (measured on CLOCK_MONOTONIC where libc allows). */
  timeoutMs?: number;
}

/**
 * Where each libc keeps a mutex's kind, and its bits. glibc: `struct __pthread_mutex_s.__kind`, an int at offset
 * 16 on x86_64 and aarch64 (sysdeps/nptl/bits/struct_mutex.h), flags PTHREAD_MUTEX_PSHARED_BIT 128 and
 * PTHREAD_MUTEX_ROBUST_NORMAL_NP 16, all defined flags within 0x3ff (nptl/pthreadP.h). musl: `_m_type`, the first
 * int, pshared 128 and robust 4 (src/thread/pthread_mutexattr_set*.c).
 *
 * `unsupported` are the priority-inheritance and priority-protect protocol bits (glibc 32 and 64, musl 8) and glibc's
 * lock-elision bit (256, PTHREAD_MUTEX_ELISION_NP). shmkit never creates such mutexes, and trusting them kills the
 * process: glibc asserts (abort) on a PP mutex whose ceiling is garbage, and an elided lock executes Intel TSX
 * instructions, SIGILL on CPUs without them. A kind word that claims them is refused.
 */
interface KindBits {
  offset: number;
  pshared: number;
  robust: number;
  known: number;
  unsupported: number;
}
let kindLayout: KindBits | undefined;

function kindBits(): KindBits {
  kindLayout ??=
    hostTarget().libc === "musl"
      ? { offset: 0, pshared: 128, robust: 4, known: 0x8f, unsupported: 8 }
      : { offset: 16, pshared: 128, robust: 16, known: 0x3ff, unsupported: 32 | 64 | 256 };
  return kindLayout;
}

/**
 * A process-shared `pthread_mutex_t` inside a segment, robust by default: usable from any process that maps the
 * segment, in TypeScript or in C.
 *
 * @example
 * ```ts
 * // C: typedef struct { pthread_mutex_t mutex; pthread_cond_t cond; int shared_resource; } SharedMemory;
 * //    pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED); pthread_mutex_init(&shm->mutex, &a);
 * const m = Mutex.init(seg, 0);            // creator, once (see ReadyWord for "once")
 * const m2 = Mutex.at(seg, 0);             // any other process, also one that initialised it in C
 * m2.withLock(() => { counter[0]++; });
 * ```
 *
 * Safety and blocking:
 * - `lock()` and `withLock()` block the JS thread (no timers, no I/O) until they get the lock; pass `timeoutMs`
 *   or use `tryLock()` when that matters.
 * - The lock belongs to the thread that took it: unlock it on the same thread, and never hold it across an
 *   `await`. For the same reason there is no `lockAsync()`: a helper thread that waited for the lock would own
 *   it, not the JS thread. To wait without blocking the event loop, use `WaitWord.waitAsync`.
 * - `Mutex.at` checks that the memory holds an initialised process-shared mutex (the kind word of glibc or musl:
 *   its pshared bit, and no unknown bits), so zeroed or garbage memory gives an error, not a hang. It cannot tell
 *   a mutex from garbage that happens to look like one.
 * - Every call checks that the segment is still open (ECLOSED otherwise), so a closed segment is never touched.
 */
export class Mutex {
  /** The segment that holds the mutex. */
  /** The segment the mutex lives in. */
  readonly segment: Segment;
  /** Byte offset of the `pthread_mutex_t` in the segment. */
  readonly offset: number;
  /** True if the mutex is robust (its holder's death is reported by `lock()` as `"owner-died"`). */
  readonly robust: boolean;
  readonly #time = new Timespec();
  readonly #label: string;
  /** What this thread's held-lock registry records while this mutex is locked through this object. */
  readonly #hold: HeldLock;

  private constructor(segment: Segment, offset: number, robust: boolean) {
    this.segment = segment;
    this.offset = offset;
    this.robust = robust;
    this.#label = `${segment.name} @${offset}`;
    this.#hold = { segment, offset, abandon: () => this.#abandon() };
  }

  /**
   * True where the kernel keeps robust futex lists (`get_robust_list` works on this thread), so that a robust
   * mutex's holder dying is recovered. False under qemu-user, which does not emulate them: there
   * `Mutex.init({ robust: true })` and `Mutex.at` of a robust mutex throw ENOTSUP instead of handing out a lock
   * that is silently never recovered.
   */
  static get robustSupported(): boolean {
    return robustListsSupported();
  }

  /** Size and alignment of `pthread_mutex_t` on this host (40 and 8 on glibc x86_64). */
  static get layout(): {
    /** `sizeof(pthread_mutex_t)`. */
    size: number;
    /** `_Alignof(pthread_mutex_t)`. */
    align: number;
  } {
    return hostType("pthread_mutex_t");
  }

  /**
   * Initialises a process-shared mutex at `offset` (`pthread_mutex_init` with PTHREAD_PROCESS_SHARED, robust and
   * error-checking unless told otherwise). Do it once, before other processes attach, and never on a mutex that
   * is in use: `ReadyWord` gives a race-free way.
   */
  static init(seg: Segment, offset: number, options: MutexInitOptions = {}): Mutex {
    const { size, align } = hostType("pthread_mutex_t");
    const address = place(seg, offset, size, align, "Mutex.init");
    const robust = options.robust ?? true;
    const errorCheck = options.errorCheck ?? true;
    if (typeof robust !== "boolean")
      throw new ShmArgumentError("options.robust", "must be a boolean", robust);
    if (typeof errorCheck !== "boolean") {
      throw new ShmArgumentError("options.errorCheck", "must be a boolean", errorCheck);
    }
    const label = `${seg.name} @${offset}`;
    if (robust && !robustListsSupported()) throw robustUnsupported("Mutex.init", label);
    const lib = libc();
    const attr = new BigInt64Array(ATTR_BYTES / 8);
    check(lib.pthread_mutexattr_init(attr), "pthread_mutexattr_init", label);
    try {
      check(
        lib.pthread_mutexattr_setpshared(attr, PTHREAD_PROCESS_SHARED),
        "pthread_mutexattr_setpshared",
        label,
      );
      if (robust) {
        check(
          lib.pthread_mutexattr_setrobust(attr, PTHREAD_MUTEX_ROBUST),
          "pthread_mutexattr_setrobust",
          label,
        );
      }
      const type = errorCheck ? PTHREAD_MUTEX_ERRORCHECK : PTHREAD_MUTEX_NORMAL;
      check(lib.pthread_mutexattr_settype(attr, type), "pthread_mutexattr_settype", label);
      check(lib.pthread_mutex_init(address as never, attr), "pthread_mutex_init", label);
    } finally {
      lib.pthread_mutexattr_destroy(attr);
    }
    return new Mutex(seg, offset, robust);
  }

  /**
   * Attaches to a mutex another process (or C code) initialised at `offset`. Throws ShmError EINVAL if the memory
   * there does not hold an initialised process-shared mutex.
   */
  static at(seg: Segment, offset: number): Mutex {
    const { size, align } = hostType("pthread_mutex_t");
    place(seg, offset, size, align, "Mutex.at");
    const bits = kindBits();
    const kind = new DataView(seg.buffer).getInt32(offset + bits.offset, true);
    if ((kind & bits.pshared) !== 0 && (kind & ~bits.known) === 0 && (kind & bits.unsupported) !== 0) {
      throw new ShmError({
        code: "EINVAL",
        errno: EINVAL,
        syscall: "Mutex.at",
        segment: `${seg.name} @${offset}`,
        detail: `a priority-inheritance, priority-protect or lock-elision mutex (kind word 0x${kind.toString(16)}): shmkit supports normal, error-checking, recursive and adaptive mutexes, robust or not, without elision`,
      });
    }
    if ((kind & bits.pshared) === 0 || (kind & ~bits.known) !== 0) {
      throw new ShmError({
        code: "EINVAL",
        errno: EINVAL,
        syscall: "Mutex.at",
        segment: `${seg.name} @${offset}`,
        detail:
          kind === 0
            ? "no initialised mutex here (the memory is zero): the creator must call Mutex.init (or pthread_mutex_init with PTHREAD_PROCESS_SHARED) first; wait for it with ReadyWord"
            : `no initialised process-shared mutex here (kind word 0x${(kind >>> 0).toString(16)}): check the offset, and that the creator used PTHREAD_PROCESS_SHARED`,
      });
    }
    const robust = (kind & bits.robust) !== 0;
    if (robust && !robustListsSupported()) throw robustUnsupported("Mutex.at", `${seg.name} @${offset}`);
    return new Mutex(seg, offset, robust);
  }

  /**
   * Takes the lock, blocking the JS thread until it is free, or until `timeoutMs` (then ShmError ETIMEDOUT).
   * Returns `"owner-died"` when the previous holder died holding it: you now hold it, the data it guards may be
   * half-updated; repair it, then call `markConsistent()` before `unlock()`.
   */
  lock(options?: LockOptions): LockResult {
    const address = this.#address("lock");
    const timeoutMs = options?.timeoutMs;
    if (timeoutMs !== undefined) checkTimeout(timeoutMs);
    if (timeoutMs === undefined || timeoutMs === Number.POSITIVE_INFINITY)
      return this.#acquired(libc().pthread_mutex_lock(address as never), "pthread_mutex_lock");
    const clocklock = optionalSymbols().pthread_mutex_clocklock;
    if (clocklock) {
      const deadline = this.#time.setDeadline(CLOCK_MONOTONIC, timeoutMs);
      return this.#acquired(
        clocklock(address as never, CLOCK_MONOTONIC, deadline),
        "pthread_mutex_clocklock",
        timeoutMs,
      );
    }
    // pthread_mutex_timedlock measures on CLOCK_REALTIME, so a clock step can shorten or stretch the wait.
    const deadline = this.#time.setDeadline(CLOCK_REALTIME, timeoutMs);
    return this.#acquired(
      libc().pthread_mutex_timedlock(address as never, deadline),
      "pthread_mutex_timedlock",
      timeoutMs,
    );
  }

  /** Takes the lock if it is free, without blocking: `"busy"` if another thread holds it. */
  tryLock(): LockResult | "busy" {
    const rc = libc().pthread_mutex_trylock(this.#address("tryLock") as never);
    if (rc === EBUSY) {
      // POSIX has trylock say EBUSY to the holder of a non-robust mutex (glibc's robust ones say EDEADLK): either
      // way "busy" would tell this thread to wait for itself.
      if (isHeld(this.segment, this.offset)) return this.#result(EDEADLK, "pthread_mutex_trylock");
      return "busy";
    }
    return this.#acquired(rc, "pthread_mutex_trylock");
  }

  /** Releases the lock. Throws EPERM if this thread does not hold it (robust or error-checking mutexes). */
  unlock(): void {
    const rc = libc().pthread_mutex_unlock(this.#address("unlock") as never);
    if (rc === 0) {
      noteUnlocked(this.segment, this.offset);
      return;
    }
    if (rc === EPERM) {
      throw this.#error("pthread_mutex_unlock", rc, "this thread does not hold the mutex; lock() it first");
    }
    throw this.#error("pthread_mutex_unlock", rc, strerror(rc));
  }

  /**
   * Declares the data repaired after `lock()` returned `"owner-died"` (`pthread_mutex_consistent`). Without it,
   * `unlock()` leaves the mutex permanently unusable (ENOTRECOVERABLE), as POSIX requires.
   */
  markConsistent(): void {
    const rc = libc().pthread_mutex_consistent(this.#address("markConsistent") as never);
    if (rc === 0) return;
    if (rc === EINVAL) {
      throw this.#error(
        "pthread_mutex_consistent",
        rc,
        'the mutex is not waiting for repair; call markConsistent() only while holding it after lock() returned "owner-died"',
      );
    }
    throw this.#error("pthread_mutex_consistent", rc, strerror(rc));
  }

  /**
   * Runs `fn` holding the lock and unlocks afterwards, also if `fn` throws. If the previous holder died, `fn` gets
   * `"owner-died"`: repair the data in `fn`; when `fn` returns normally the mutex is marked consistent. If it
   * throws instead, the mutex is unlocked unrepaired and becomes unusable (ENOTRECOVERABLE) rather than handing
   * half-updated data to the next process.
   */
  withLock<T>(fn: (state: LockResult) => T, options?: LockOptions): T {
    const state = this.lock(options);
    try {
      const value = fn(state);
      if (state === "owner-died") this.markConsistent();
      return value;
    } finally {
      this.unlock();
    }
  }

  #address(what: string): number {
    assertUsable(this.segment, `Mutex.${what}`);
    return (this.segment.ptr as number) + this.offset;
  }

  /** The outcome of a lock call; a success is recorded as held by this thread, so close() will not unmap it. */
  #acquired(rc: number, call: string, timeoutMs?: number): LockResult {
    const result = this.#result(rc, call, timeoutMs);
    noteLocked(this.#hold);
    return result;
  }

  /**
   * Gives up this thread's hold without unlocking, as if the thread had died (`Segment.close({ abandonLocks })`):
   * a robust mutex is marked owner-died and one waiter woken; a non-robust one stays locked, as it would.
   */
  #abandon(): void {
    if (this.robust) {
      const address = this.#address("abandon");
      abandonRobustMutex(address, hostTarget().libc === "musl" ? "musl" : "glibc", this.#label);
    }
    noteUnlocked(this.segment, this.offset);
  }

  #result(rc: number, call: string, timeoutMs?: number): LockResult {
    if (rc === 0) return "acquired";
    if (rc === EOWNERDEAD) return "owner-died";
    if (rc === ETIMEDOUT) {
      throw this.#error(call, rc, `the mutex was still held by another thread after ${timeoutMs} ms`);
    }
    if (rc === ENOTRECOVERABLE) {
      throw this.#error(
        call,
        rc,
        "the mutex's holder died and the next holder unlocked it without markConsistent(), so it can never be locked again; initialise it anew with Mutex.init once no process uses it",
      );
    }
    if (rc === EDEADLK) {
      throw this.#error(
        call,
        rc,
        "this thread already holds the mutex; a second lock() would wait forever, unlock() first",
      );
    }
    throw this.#error(call, rc, strerror(rc));
  }

  #error(call: string, errno: number, detail: string): ShmError {
    return new ShmError({ code: errnoName(errno), errno, syscall: call, segment: this.#label, detail });
  }
}

function robustUnsupported(call: string, label: string): ShmError {
  return new ShmError({
    code: "ENOTSUP",
    errno: ENOTSUP,
    syscall: call,
    segment: label,
    detail:
      "this kernel (or emulator: qemu-user) keeps no robust futex lists (get_robust_list fails), so a robust mutex would silently stay locked for ever when its holder dies; pass { robust: false } to Mutex.init if that is acceptable, or run on a real Linux kernel",
  });
}

function check(rc: number, call: string, label: string): void {
  if (rc !== 0) throw ShmError.fromErrno(call, label, rc);
}
