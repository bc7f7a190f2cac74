import type * as BunFfi from "bun:ffi";
import type {
  Backend,
  CType,
  Declarations,
  Functions,
  FutexRequest,
  WaitThread,
  WaitThreadConfig,
  WaitThreadEvents,
} from "./port.ts";

/**
 * The `bun:ffi` back-end. Its functions are bun:ffi's own symbols, unwrapped: `ptr` arguments take numbers and
 * typed arrays as they are, so a call costs what it did before the port existed.
 */
export function bunBackend(ffi: typeof BunFfi): Backend {
  const { FFIType } = ffi;
  const ARG: Record<CType, BunFfi.FFIType> = {
    i32: FFIType.i32,
    u32: FFIType.u32,
    i64: FFIType.i64,
    u64: FFIType.u64,
    ptr: FFIType.ptr,
    cstring: FFIType.cstring,
  };
  // The `_fast` kinds return a number whenever it fits (mmap's address, or -1), a bigint never in practice.
  const RESULT: Record<CType, BunFfi.FFIType> = { ...ARG, i64: FFIType.i64_fast, u64: FFIType.u64_fast };
  const translate = (declarations: Declarations) =>
    Object.fromEntries(
      Object.entries(declarations).map(([name, d]) => [
        name,
        { args: d.args.map((t) => ARG[t]), returns: RESULT[d.returns] },
      ]),
    ) as Record<string, BunFfi.FFIFunction>;
  return {
    name: "bun:ffi",
    open<D extends Declarations>(path: string, declarations: D): Functions<D> {
      const { symbols } = ffi.dlopen(path, translate(declarations));
      // `cstring` results are CString objects: strings in every way the port promises but typeof.
      return symbols as unknown as Functions<D>;
    },
    view: (address, length) => ffi.toArrayBuffer(address as BunFfi.Pointer, 0, length),
    readI32: (address) => ffi.read.i32(address as BunFfi.Pointer, 0),
    startWaitThread(config, time, events) {
      const symbols = translate({
        syscall: { args: ["i64", "ptr", "i32", "i32", "ptr"], returns: "i32" },
        __errno_location: { args: [], returns: "ptr" },
      });
      return startThread(
        `import * as ffi from "bun:ffi";\n(${String(waitThread)})(ffi, ${JSON.stringify({ ...config, symbols })});\n`,
        time,
        events,
      );
    },
  };
}

let threadUrl: string | undefined;
let threadSource: string | undefined;

function startThread(source: string, time: Uint32Array, events: WaitThreadEvents): WaitThread {
  // A Blob URL, not a file next to this one, so that the thread survives bundling (`bun build --compile` has no
  // file here to start a Worker from: ModuleNotFound). One URL per source; the source is the same every time.
  if (source !== threadSource) {
    threadSource = source;
    threadUrl = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  }
  const worker = new Worker(threadUrl as string, { smol: true });
  worker.postMessage(time);
  worker.onmessage = (event: MessageEvent<number>) => events.reply(event.data);
  worker.onerror = (event: ErrorEvent) => events.error(event.message);
  return {
    post: (request) => worker.postMessage(request),
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    terminate: () => worker.terminate(),
  };
}

/**
 * The body of a wait thread; runs there, from its source text, so it must use nothing but its parameters and
 * globals (minifiers rename everything else). Its first message is the shared `struct timespec`; each later one
 * is a FutexRequest.
 */
function waitThread(
  ffi: typeof BunFfi,
  config: WaitThreadConfig & { symbols: Record<string, BunFfi.FFIFunction> },
): void {
  const { symbols } = ffi.dlopen(config.libcPath, config.symbols);
  const syscall = symbols.syscall as unknown as (...args: unknown[]) => number;
  const errnoLocation = symbols.__errno_location as unknown as () => BunFfi.Pointer | null;
  const scope = globalThis as unknown as Worker;
  scope.onmessage = (first: MessageEvent<Uint32Array>) => {
    const time = first.data;
    scope.onmessage = (event: MessageEvent<FutexRequest>) => {
      const { address, expected, timed } = event.data;
      const result = syscall(config.nr, address, config.op, expected, timed ? time : null);
      const location = result === 0 ? null : errnoLocation();
      scope.postMessage(location === null ? 0 : ffi.read.i32(location, 0));
    };
  };
}
