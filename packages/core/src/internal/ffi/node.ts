import type * as NodeFfi from "node:ffi";
import type * as WorkerThreads from "node:worker_threads";
import type {
  Backend,
  CType,
  Declarations,
  Functions,
  FutexRequest,
  PointerArg,
  WaitThreadConfig,
} from "./port.ts";
import { type Convert, lastAddress, type Raw, workerWaitThread, wrap } from "./wrap.ts";

/**
 * The `node:ffi` back-end (Node 26+). node:ffi takes pointers as bigints (or ArrayBufferViews, which it passes by
 * their bytes) and returns 64-bit results as bigints, so each function that has a `ptr` argument or a 64-bit or
 * pointer result is wrapped to convert at the boundary; the others are node:ffi's functions as they are. Its
 * integer arguments take numbers for `i64`/`u64` too (checked on 26.12.1).
 */
export function nodeBackend(ffi: typeof NodeFfi, threads: typeof WorkerThreads): Backend {
  const TYPE: Record<CType, NodeFfi.ArgumentType> = {
    i32: "i32",
    u32: "u32",
    i64: "i64",
    u64: "u64",
    ptr: "pointer",
    cstring: "pointer",
  };
  const RESULT: Partial<Record<CType, Convert>> = {
    i64: Number as Convert,
    u64: Number as Convert,
    ptr: ((p: bigint) => (p === 0n ? null : Number(p))) as Convert,
    cstring: ((p: bigint) => ffi.toString(p)) as Convert,
  };
  return {
    name: "node:ffi",
    open<D extends Declarations>(path: string, declarations: D): Functions<D> {
      const signatures = Object.fromEntries(
        Object.entries(declarations).map(([name, d]) => [
          name,
          { arguments: d.args.map((t) => TYPE[t]), return: TYPE[d.returns] },
        ]),
      );
      const { functions } = ffi.dlopen(path, signatures);
      const bound: Record<string, Raw> = {};
      for (const [name, d] of Object.entries(declarations)) {
        const raw = functions[name] as Raw;
        const args = d.args.map((t) => (t === "ptr" ? (pointer as Convert) : undefined));
        bound[name] = wrap(raw, args, RESULT[d.returns]);
      }
      return bound as Functions<D>;
    },
    view: (address, length) => ffi.toArrayBuffer(BigInt(address), length, false),
    readI32: (address) => ffi.getInt32(BigInt(address)),
    startWaitThread(config, time, events) {
      const source = `(${String(waitThread)})(require("node:ffi"), require("node:worker_threads"), ${JSON.stringify(config)});`;
      return workerWaitThread(threads, source, time, events);
    },
  };
}

const bigintOf = lastAddress(BigInt);

function pointer(value: PointerArg): unknown {
  return typeof value === "number" ? bigintOf(value) : value;
}

/**
 * The body of a wait thread (a worker_threads Worker); runs there from its source text, so it must use nothing
 * but its parameters and globals. `workerData` is the shared `struct timespec`; each message is a FutexRequest.
 */
function waitThread(ffi: typeof NodeFfi, threads: typeof WorkerThreads, config: WaitThreadConfig): void {
  const { functions } = ffi.dlopen(config.libcPath, {
    syscall: { arguments: ["i64", "pointer", "i32", "i32", "pointer"], return: "i32" },
    __errno_location: { arguments: [], return: "pointer" },
  });
  const syscall = functions.syscall as (...args: unknown[]) => number;
  const errnoLocation = functions.__errno_location as () => bigint;
  const port = threads.parentPort as WorkerThreads.MessagePort;
  const time = threads.workerData as Uint32Array;
  port.on("message", (request: FutexRequest) => {
    const result = syscall(
      config.nr,
      BigInt(request.address),
      config.op,
      request.expected,
      request.timed ? time : null,
    );
    port.postMessage(result === 0 ? 0 : ffi.getInt32(errnoLocation()));
  });
}
