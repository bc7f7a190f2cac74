import type * as WorkerThreads from "node:worker_threads";
import type {
  Backend,
  CType,
  Declarations,
  Functions,
  FutexRequest,
  PointerArg,
  WaitThread,
  WaitThreadConfig,
} from "./port.ts";

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

type Raw = (...args: unknown[]) => unknown;
type Convert = (value: unknown) => unknown;

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
  // One address remembered, as in node.ts: a lock and its unlock pass the same one, and making a pointer object
  // from a number (BigInt, then UnsafePointer.create) costs about 150 ns on Deno 2.9.6, ten calls' worth.
  let lastNumber = -1;
  let lastPointer: DenoPointer = null;
  const pointer = (value: PointerArg): DenoPointer => {
    if (typeof value === "number") {
      if (value !== lastNumber) {
        lastPointer = UnsafePointer.create(BigInt(value));
        lastNumber = value;
      }
      return lastPointer;
    }
    return value === null ? null : UnsafePointer.of(value);
  };
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
      const worker = new threads.Worker(source, { eval: true, workerData: time });
      worker.on("message", (errno: number) => events.reply(errno));
      worker.on("error", (error: Error) => events.error(error.message));
      const thread: WaitThread = {
        post: (request) => worker.postMessage(request),
        ref: () => worker.ref(),
        unref: () => worker.unref(),
        terminate: () => void worker.terminate(),
      };
      return thread;
    },
  };
}

/** `raw` with arguments and result converted; specialised for the short argument lists of the hot calls. */
function wrap(raw: Raw, args: (Convert | undefined)[], result: Convert | undefined): Raw {
  const r = result ?? ((v: unknown) => v);
  if (args.every((a) => a === undefined)) return result ? (...xs) => r(raw(...xs)) : raw;
  const c = args.map((a) => a ?? ((v: unknown) => v));
  const [c0, c1] = c as [Convert, Convert];
  if (c.length === 1) return (a) => r(raw(c0(a)));
  if (c.length === 2) return (a, b) => r(raw(c0(a), c1(b)));
  return (...xs) => r(raw(...xs.map((x, i) => (c[i] as Convert)(x))));
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
