import type * as WorkerThreads from "node:worker_threads";
import type { Backend, CType, Declarations, Functions, FutexRequest, WaitThreadConfig } from "./port.ts";
import { type Convert, lastAddress, type Raw, workerWaitThread, wrap } from "./wrap.ts";

/** The oldest koffi this back-end runs on: 3.0 made pointers bigints (2.x's are externals, which `view` needs). */
export const KOFFI_MIN_MAJOR = 3;

/** The part of the koffi module this back-end uses (core is not type-checked against koffi's own types). */
export interface Koffi {
  readonly version: string;
  load(path: string): { func(name: string, result: string, args: string[]): (...args: unknown[]) => unknown };
  view(pointer: number | bigint, length: number): ArrayBuffer;
  errno(): number;
}

/**
 * The koffi back-end (Node 20–25, or Node 26 without node:ffi), koffi 3 or later loaded from the user's
 * node_modules. koffi's `void *` arguments take numbers (and typed arrays, by their bytes) as they are, as fast as
 * its bigints or faster (measured on 3.3.4), so no argument is converted; pointer results are bigints, and 64-bit
 * results bigints when they do not fit a double, so only functions with those results are wrapped.
 */
export function koffiBackend(koffi: Koffi, koffiPath: string, threads: typeof WorkerThreads): Backend {
  const TYPE: Record<CType, string> = {
    i32: "int32_t",
    u32: "uint32_t",
    i64: "int64_t",
    u64: "uint64_t",
    ptr: "void *",
    cstring: "void *",
  };
  // koffi turns `const char *` results into strings itself.
  const RESULT_TYPE: Record<CType, string> = { ...TYPE, cstring: "const char *" };
  const RESULT: Partial<Record<CType, Convert>> = {
    i64: Number as Convert,
    u64: Number as Convert,
    ptr: ((p: bigint | null) => (p === null ? null : Number(p))) as Convert,
  };
  // One Int32Array per address, remembered: errno's address is the same on every call from this thread.
  const int32At = lastAddress((address) => new Int32Array(koffi.view(address, 4)));
  return {
    name: "koffi",
    open<D extends Declarations>(path: string, declarations: D): Functions<D> {
      const lib = koffi.load(path);
      const bound: Record<string, Raw> = {};
      for (const [name, d] of Object.entries(declarations)) {
        const raw = lib.func(
          name,
          RESULT_TYPE[d.returns],
          d.args.map((t) => TYPE[t]),
        ) as Raw;
        bound[name] = wrap(raw, [], RESULT[d.returns]);
      }
      return bound as Functions<D>;
    },
    view: (address, length) => koffi.view(address, length),
    readI32: (address) => int32At(address)[0] as number,
    startWaitThread(config, time, events) {
      // The thread loads the koffi this thread loaded, by its path: an eval'd Worker resolves modules from the
      // working directory, not from this file.
      const source = `(${String(waitThread)})(require(${JSON.stringify(koffiPath)}), require("node:worker_threads"), ${JSON.stringify(config)});`;
      return workerWaitThread(threads, source, time, events);
    },
  };
}

/**
 * The body of a wait thread (a worker_threads Worker); runs there from its source text, so it must use nothing
 * but its parameters and globals. `workerData` is the shared `struct timespec`; each message is a FutexRequest.
 * koffi keeps errno per thread, as libc does.
 */
function waitThread(koffi: Koffi, threads: typeof WorkerThreads, config: WaitThreadConfig): void {
  const syscall = koffi
    .load(config.libcPath)
    .func("syscall", "int32_t", ["int64_t", "void *", "int32_t", "int32_t", "void *"]) as (
    ...args: unknown[]
  ) => number;
  const port = threads.parentPort as WorkerThreads.MessagePort;
  const time = threads.workerData as Uint32Array;
  port.on("message", (request: FutexRequest) => {
    const result = syscall(
      config.nr,
      request.address,
      config.op,
      request.expected,
      request.timed ? time : null,
    );
    port.postMessage(result === 0 ? 0 : koffi.errno());
  });
}
