import type * as WorkerThreads from "node:worker_threads";
import type { WaitThread, WaitThreadEvents } from "./port.ts";

// What the back-ends whose FFI wants other types than the port's (node.ts, deno.ts) share: converting at the call
// boundary, and wait threads on node:worker_threads.

export type Raw = (...args: unknown[]) => unknown;
export type Convert = (value: never) => unknown;

const same = (v: unknown) => v;

/** `raw` with arguments and result converted; specialised for the short argument lists of the hot calls. */
export function wrap(raw: Raw, args: (Convert | undefined)[], result: Convert | undefined): Raw {
  const r = (result ?? same) as (v: unknown) => unknown;
  if (args.every((a) => a === undefined)) return result ? (...xs) => r(raw(...xs)) : raw;
  const c = args.map((a) => (a ?? same) as (v: unknown) => unknown);
  const [c0, c1] = c as [(v: unknown) => unknown, (v: unknown) => unknown];
  if (c.length === 1) return (a) => r(raw(c0(a)));
  if (c.length === 2) return (a, b) => r(raw(c0(a), c1(b)));
  return (...xs) => r(raw(...xs.map((x, i) => (c[i] as (v: unknown) => unknown)(x))));
}

/**
 * `make(address)`, remembering the last address: a lock and its unlock, or a wait and its wake, pass the same one,
 * and turning a number into the FFI's pointer (a bigint, or Deno's pointer object) allocates each time, costing
 * more than the call itself (about 70 ns on Node 26.12.1, 150 ns on Deno 2.9.6).
 */
export function lastAddress<P>(make: (address: number) => P): (address: number) => P {
  let lastNumber = -1;
  let last = undefined as P;
  return (address) => {
    if (address !== lastNumber) {
      last = make(address);
      lastNumber = address;
    }
    return last;
  };
}

/**
 * A wait thread on a node:worker_threads Worker running `source` (eval'd, so that it survives bundling), with the
 * shared `struct timespec` as its workerData: Node and Deno both run these, and both can unref them.
 */
export function workerWaitThread(
  threads: typeof WorkerThreads,
  source: string,
  time: Uint32Array,
  events: WaitThreadEvents,
): WaitThread {
  const worker = new threads.Worker(source, { eval: true, workerData: time });
  worker.on("message", (errno: number) => events.reply(errno));
  worker.on("error", (error: Error) => events.error(error.message));
  return {
    post: (request) => worker.postMessage(request),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: () => void worker.terminate(),
  };
}
