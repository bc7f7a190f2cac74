// A pool thread of `futex-pool.ts`: it does the one blocking FUTEX_WAIT that `WaitWord.waitAsync` must not do on
// the JS thread, then posts the outcome back. The mapping is process-wide, so the address is valid here too.
import { futexWait } from "./futex.ts";
import { EAGAIN, EINTR, ETIMEDOUT } from "./libc/pthread.ts";
import { Timespec } from "./timespec.ts";

export interface FutexRequest {
  id: number;
  address: number;
  expected: number;
  /** Milliseconds, or -1 for no time-out. */
  timeoutMs: number;
}

export interface FutexReply {
  id: number;
  result: "ok" | "timed-out" | "error";
  errno: number;
}

declare const self: Worker;

const time = new Timespec();

self.onmessage = (event: MessageEvent<FutexRequest>) => {
  const { id, address, expected, timeoutMs } = event.data;
  const deadline = timeoutMs < 0 ? Number.POSITIVE_INFINITY : performance.now() + timeoutMs;
  let reply: FutexReply;
  for (;;) {
    let timeout: Uint32Array | null = null;
    if (deadline !== Number.POSITIVE_INFINITY) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) {
        reply = { id, result: "timed-out", errno: 0 };
        break;
      }
      timeout = time.setRelative(remaining);
    }
    const errno = futexWait(address, expected, timeout);
    if (errno === EINTR) continue;
    if (errno === 0 || errno === EAGAIN) reply = { id, result: "ok", errno: 0 };
    else if (errno === ETIMEDOUT) reply = { id, result: "timed-out", errno: 0 };
    else reply = { id, result: "error", errno };
    break;
  }
  self.postMessage(reply);
};
