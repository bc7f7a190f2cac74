import { dlopen, FFIType } from "bun:ffi";
import { allSymbols, optionalPthreadSymbols } from "./symbols.ts";

type Library = ReturnType<typeof dlopen<typeof allSymbols>>;
export type Libc = Library["symbols"];

// glibc first, then musl's loader, which is also its libc.
const CANDIDATES = ["libc.so.6", "/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1", "libc.so"];

let opened: Libc | undefined;
let openedPath: string | undefined;

/**
 * The one place shmkit opens libc. Lazy and memoised: importing `@shmkit/core` does nothing, and an
 * unsupported platform fails here, on first use, with a message that says what is supported.
 */
export function libc(): Libc {
  if (opened) return opened;
  if (process.platform !== "linux") {
    throw new Error(
      `@shmkit/core supports Linux (glibc or musl) only for now; this is ${process.platform}/${process.arch}. ` +
        "macOS lacks robust and process-shared pthread objects, see DESIGN.md.",
    );
  }
  const failures: string[] = [];
  for (const path of CANDIDATES) {
    try {
      opened = dlopen(path, allSymbols).symbols;
      openedPath = path;
      return opened;
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`);
    }
  }
  throw new Error(`@shmkit/core could not open libc:\n  ${failures.join("\n  ")}`);
}

/** The path `libc()` opened libc by (opening it first), for threads that open it themselves (futex-worker.ts). */
export function libcPath(): string {
  libc();
  return openedPath as string;
}

type OptionalName = keyof typeof optionalPthreadSymbols;
type OptionalSymbols = {
  [K in OptionalName]?: ReturnType<typeof dlopen<Pick<typeof optionalPthreadSymbols, K>>>["symbols"][K];
};

let optional: OptionalSymbols | undefined;

/**
 * The libc functions that only newer libcs have (`pthread_mutex_clocklock`, `pthread_cond_clockwait`), each
 * `undefined` where this libc lacks it. Looked up one by one in the library `libc()` opened, once.
 */
export function optionalSymbols(): OptionalSymbols {
  if (optional) return optional;
  libc();
  const found: OptionalSymbols = {};
  for (const name of Object.keys(optionalPthreadSymbols) as OptionalName[]) {
    try {
      const library = dlopen(openedPath as string, { [name]: optionalPthreadSymbols[name] });
      Object.assign(found, library.symbols);
    } catch {
      // Not in this libc: callers fall back to the older call.
    }
  }
  optional = found;
  return optional;
}

type Word = number | bigint;
type RawSyscall = (nr: number, a: Word, b: Word, c: Word, d: Word, e: Word, f: Word) => number;
let raw: RawSyscall | undefined;

/**
 * `syscall(nr, a, b, c, d, e, f)` with six pointer-sized integer arguments (pass 0 for unused ones), returning -1
 * with errno set on failure. The one in `libc()` is declared for futex waits (a pointer, two ints and a
 * pointer); robust-list calls and FUTEX_WAKE_OP need pointer-sized arguments in other places, so this is a second
 * declaration of the same function, opened once.
 */
export function rawSyscall(): RawSyscall {
  if (raw) return raw;
  libc();
  const word = FFIType.u64;
  const { symbols } = dlopen(openedPath as string, {
    syscall: { args: [FFIType.i64, word, word, word, word, word, word], returns: FFIType.i64_fast },
  });
  raw = symbols.syscall as RawSyscall;
  return raw;
}
