import { ShmError } from "../errors.ts";
import { backend } from "./ffi/index.ts";
import type { FutexRequest, WaitThread } from "./ffi/port.ts";
import { FUTEX_WAIT, sysFutex } from "./futex.ts";
import { libcPath } from "./libc/index.ts";
import { EAGAIN, EINTR, ETIMEDOUT } from "./libc/pthread.ts";
import { Timespec } from "./timespec.ts";

/** Threads kept, parked and unref'd, for the next waits: enough for the common one-or-two waiters. */
const MAX_IDLE = 2;
/** Each pending wait holds one thread; past this many, waitAsync fails instead of exhausting the process. */
export const MAX_PENDING_WAITS = 64;

export interface PoolWaitResult {
  result: "ok" | "timed-out" | "error";
  errno: number;
}

interface Pending {
  address: number;
  expected: number;
  /** `performance.now()` time to give up at, or Infinity. */
  deadline: number;
  resolve: (outcome: PoolWaitResult) => void;
  reject: (error: unknown) => void;
}

interface Thread {
  worker: WaitThread;
  /**
   * The thread's time-out, in memory shared with it: a request says only whether to use it. Copying a typed
   * array into every message instead cost about 1.5 µs per wait.
   */
  time: Timespec;
  pending: Pending | undefined;
}

const OK: PoolWaitResult = Object.freeze({ result: "ok", errno: 0 });
const TIMED_OUT: PoolWaitResult = Object.freeze({ result: "timed-out", errno: 0 });

const idle: Thread[] = [];
let busy = 0;

/**
 * Runs one FUTEX_WAIT on a pool thread and resolves with its outcome, leaving the JS thread free. A thread that
 * waits keeps the process alive (ref'd), like a pending timer; a parked one does not (unref'd).
 */
export function futexWaitOnPool(
  address: number,
  expected: number,
  timeoutMs: number,
  label: string,
): Promise<PoolWaitResult> {
  if (busy >= MAX_PENDING_WAITS) {
    return Promise.reject(
      new ShmError({
        code: "EAGAIN",
        errno: EAGAIN,
        syscall: "WaitWord.waitAsync",
        segment: label,
        detail: `${MAX_PENDING_WAITS} waitAsync calls are already pending in this process, each on its own thread; wait on fewer words, or give the waits a time-out`,
      }),
    );
  }
  const deadline = timeoutMs < 0 ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs;
  const thread = idle.pop() ?? spawn();
  thread.worker.ref();
  busy++;
  return new Promise<PoolWaitResult>((resolve, reject) => {
    thread.pending = { address, expected: expected | 0, deadline, resolve, reject };
    if (!post(thread, thread.pending)) settle(thread, TIMED_OUT);
  });
}

/** Sends the wait with the time left; false if none is. */
function post(thread: Thread, pending: Pending): boolean {
  const timed = pending.deadline !== Number.POSITIVE_INFINITY;
  if (timed) {
    const remaining = pending.deadline - performance.now();
    if (remaining <= 0) return false;
    thread.time.setRelative(remaining);
  }
  const request: FutexRequest = { address: pending.address, expected: pending.expected, timed };
  thread.worker.post(request);
  return true;
}

function settle(thread: Thread, outcome: PoolWaitResult): void {
  const pending = thread.pending;
  thread.pending = undefined;
  busy--;
  park(thread);
  pending?.resolve(outcome);
}

function spawn(): Thread {
  const time = new Timespec(new Uint32Array(new SharedArrayBuffer(16)));
  const thread: Thread = { worker: undefined as unknown as WaitThread, time, pending: undefined };
  const config = { nr: sysFutex(), op: FUTEX_WAIT, libcPath: libcPath() };
  thread.worker = backend().startWaitThread(config, time.words, {
    reply(errno) {
      const pending = thread.pending;
      if (!pending) return;
      // EINTR: a signal was handled on that thread; wait again on it for the time left.
      if (errno === EINTR && post(thread, pending)) return;
      if (errno === 0 || errno === EAGAIN) settle(thread, OK);
      else if (errno === ETIMEDOUT || errno === EINTR) settle(thread, TIMED_OUT);
      else settle(thread, { result: "error", errno });
    },
    error(message) {
      const pending = thread.pending;
      thread.pending = undefined;
      if (pending) busy--;
      thread.worker.terminate();
      pending?.reject(new Error(`shmkit futex wait thread failed: ${message}`));
    },
  });
  return thread;
}

function park(thread: Thread): void {
  if (idle.length >= MAX_IDLE) {
    thread.worker.terminate();
    return;
  }
  thread.worker.unref();
  idle.push(thread);
}
