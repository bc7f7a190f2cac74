import { ShmError } from "../errors.ts";
import type { FutexReply, FutexRequest } from "./futex-worker.ts";
import { EAGAIN } from "./libc/pthread.ts";

/** Threads kept, parked and unref'd, for the next waits: enough for the common one-or-two waiters. */
const MAX_IDLE = 2;
/** Each pending wait holds one thread; past this many, waitAsync fails instead of exhausting the process. */
export const MAX_PENDING_WAITS = 64;

interface Pending {
  resolve: (reply: FutexReply) => void;
  reject: (error: unknown) => void;
}

const idle: Worker[] = [];
const busy = new Map<Worker, Pending>();
let nextId = 1;

/**
 * Runs one FUTEX_WAIT on a pool thread and resolves with its outcome, leaving the JS thread free. A thread that
 * waits keeps the process alive (ref'd), like a pending timer; a parked one does not (unref'd).
 */
export function futexWaitOnPool(
  address: number,
  expected: number,
  timeoutMs: number,
  label: string,
): Promise<FutexReply> {
  if (busy.size >= MAX_PENDING_WAITS) {
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
  const worker = idle.pop() ?? spawn();
  worker.ref();
  const request: FutexRequest = { id: nextId++, address, expected: expected | 0, timeoutMs };
  return new Promise<FutexReply>((resolve, reject) => {
    busy.set(worker, { resolve, reject });
    worker.postMessage(request);
  });
}

function spawn(): Worker {
  const worker = new Worker(new URL("./futex-worker.ts", import.meta.url).href, { smol: true });
  worker.onmessage = (event: MessageEvent<FutexReply>) => {
    const pending = busy.get(worker);
    busy.delete(worker);
    park(worker);
    pending?.resolve(event.data);
  };
  worker.onerror = (event: ErrorEvent) => {
    const pending = busy.get(worker);
    busy.delete(worker);
    worker.terminate();
    pending?.reject(new Error(`shmkit futex wait thread failed: ${event.message}`));
  };
  return worker;
}

function park(worker: Worker): void {
  if (idle.length >= MAX_IDLE) {
    worker.terminate();
    return;
  }
  worker.unref();
  idle.push(worker);
}
