// A pool thread of `futex-pool.ts`: it does the one blocking FUTEX_WAIT that `WaitWord.waitAsync` must not do on
// the JS thread, then posts the errno back. The mapping is process-wide, so the address is valid here too.
//
// The thread runs from a Blob URL made of `futexThread`'s own source, not from this file: a bundled app
// (`bun build --compile`, `bun build --target bun`) has no file here to start a Worker from, and would fail with
// ModuleNotFound. So `futexThread` must use nothing but its parameters and globals: everything it needs from this
// package (syscall number, libc path, symbol declarations) is passed in as data.
import type * as Ffi from "bun:ffi";
import { FUTEX_WAIT, sysFutex } from "./futex.ts";
import { libcPath } from "./libc/index.ts";
import { errnoSymbols, futexSymbols } from "./libc/symbols.ts";

export interface FutexRequest {
  address: number;
  expected: number;
  /** Whether to time out after the relative `struct timespec` in the buffer shared with this thread. */
  timed: boolean;
}

/** The errno of the wait: 0 when woken (perhaps spuriously), EAGAIN, ETIMEDOUT, EINTR, EFAULT. */
export type FutexReply = number;

interface FutexThreadConfig {
  nr: number;
  op: number;
  libcPath: string;
  symbols: {
    syscall: typeof futexSymbols.syscall;
    __errno_location: typeof errnoSymbols.__errno_location;
  };
}

/**
 * The body of a pool thread; runs there, from its source text (see the top of this file). Its first message is
 * the shared `struct timespec` that timed requests use; each later one is a FutexRequest.
 */
export function futexThread(ffi: typeof Ffi, config: FutexThreadConfig): void {
  const { symbols } = ffi.dlopen(config.libcPath, config.symbols);
  const scope = globalThis as unknown as Worker;
  scope.onmessage = (first: MessageEvent<Uint32Array>) => {
    const time = first.data;
    scope.onmessage = (event: MessageEvent<FutexRequest>) => {
      const { address, expected, timed } = event.data;
      const timeout = timed ? time : null;
      const result = symbols.syscall(config.nr, address as never, config.op, expected, timeout as never);
      const location = result === 0 ? null : symbols.__errno_location();
      scope.postMessage(location === null ? 0 : ffi.read.i32(location, 0));
    };
  };
}

/** The module a pool thread runs: `futexThread` applied to this process's syscall number and libc. */
export function futexThreadSource(): string {
  const config: FutexThreadConfig = {
    nr: sysFutex(),
    op: FUTEX_WAIT,
    libcPath: libcPath(),
    symbols: { syscall: futexSymbols.syscall, __errno_location: errnoSymbols.__errno_location },
  };
  return `import * as ffi from "bun:ffi";\n(${String(futexThread)})(ffi, ${JSON.stringify(config)});\n`;
}
