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

/** Deno's pointers: opaque objects, NULL as null. */
export type DenoPointer = object | null;

/** The part of the `Deno` global this back-end uses (core is not type-checked against Deno's own types). */
export interface DenoFfi {
  dlopen(
    path: string,
    symbols: Record<string, { parameters: string[]; result: string }>,
  ): { symbols: Record<string, (...args: unknown[]) => unknown> };
  UnsafePointer: {
    create(value: bigint): DenoPointer;
    of(view: ArrayBufferView): DenoPointer;
    value(pointer: DenoPointer): number | bigint;
  };
  UnsafePointerView: {
    new (pointer: object): { getInt32(offset?: number): number };
    getArrayBuffer(pointer: object, length: number): ArrayBuffer;
    getCString(pointer: object): string;
  };
  permissions: { querySync(descriptor: { name: "ffi" }): { state: string } };
}

/**
 * The `Deno.dlopen` back-end (Deno 2, run with the unscoped `--allow-ffi`: a scoped one makes every pointer helper
 * throw NotCapable). Deno's pointers are opaque objects made from bigints and its 64-bit results are bigints, so
 * each function with a `ptr` argument or a 64-bit, pointer or string result is wrapped to convert at the
 * boundary; integer arguments take numbers as they are.
 */
export function denoBackend(deno: DenoFfi, threads: typeof WorkerThreads): Backend {
  const TYPE: Record<CType, string> = {
    i32: "i32",
    u32: "u32",
    i64: "i64",
    u64: "u64",
    ptr: "pointer",
    cstring: "buffer",
  };
  const { UnsafePointer, UnsafePointerView } = deno;
  const address = (p: unknown) => (p === null ? null : Number(UnsafePointer.value(p as DenoPointer)));
  const RESULT: Partial<Record<CType, Convert>> = {
    i64: Number as Convert,
    u64: Number as Convert,
    ptr: address,
    cstring: (p) => UnsafePointerView.getCString(p as object),
  };
  const pointerOf = lastAddress((address) => UnsafePointer.create(BigInt(address)));
  const pointer = (value: PointerArg): DenoPointer =>
    typeof value === "number" ? pointerOf(value) : value === null ? null : UnsafePointer.of(value);
  const at = (address: number) => UnsafePointer.create(BigInt(address)) as object;
  return {
    name: "Deno.dlopen",
    open<D extends Declarations>(path: string, declarations: D): Functions<D> {
      const signatures = Object.fromEntries(
        Object.entries(declarations).map(([name, d]) => [
          name,
          {
            parameters: d.args.map((t) => TYPE[t]),
            result: TYPE[d.returns === "cstring" ? "ptr" : d.returns],
          },
        ]),
      );
      const { symbols } = deno.dlopen(path, signatures);
      const bound: Record<string, Raw> = {};
      for (const [name, d] of Object.entries(declarations)) {
        const args = d.args.map((t) => (t === "ptr" ? (pointer as Convert) : undefined));
        bound[name] = wrap(symbols[name] as Raw, args, RESULT[d.returns]);
      }
      return bound as Functions<D>;
    },
    view: (address, length) => UnsafePointerView.getArrayBuffer(at(address), length),
    readI32: (address) => new UnsafePointerView(at(address)).getInt32(0),
    startWaitThread(config, time, events) {
      // A node:worker_threads Worker, which Deno runs with the parent's permissions and can unref (a web Worker
      // cannot be); not `nonblocking` calls, which would share Deno's 32 blocking threads with its file I/O.
      const source = `(${String(waitThread)})(require("node:worker_threads"), ${JSON.stringify(config)});`;
      return workerWaitThread(threads, source, time, events);
    },
  };
}

/**
 * The body of a wait thread; runs there from its source text, so it must use nothing but its parameters and
 * globals. `workerData` is the shared `struct timespec`; each message is a FutexRequest.
 */
function waitThread(threads: typeof WorkerThreads, config: WaitThreadConfig): void {
  const deno = (globalThis as unknown as { Deno: DenoFfi }).Deno;
  const { symbols } = deno.dlopen(config.libcPath, {
    syscall: { parameters: ["i64", "pointer", "i32", "i32", "pointer"], result: "i32" },
    __errno_location: { parameters: [], result: "pointer" },
  });
  const syscall = symbols.syscall as (...args: unknown[]) => number;
  const errnoLocation = symbols.__errno_location as () => object;
  const port = threads.parentPort as WorkerThreads.MessagePort;
  const time = deno.UnsafePointer.of(threads.workerData as Uint32Array);
  port.on("message", (request: FutexRequest) => {
    const address = deno.UnsafePointer.create(BigInt(request.address));
    const result = syscall(config.nr, address, config.op, request.expected, request.timed ? time : null);
    port.postMessage(result === 0 ? 0 : new deno.UnsafePointerView(errnoLocation()).getInt32(0));
  });
}
