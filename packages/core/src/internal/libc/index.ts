import { backend } from "../ffi/index.ts";
import type { Declarations, Functions } from "../ffi/port.ts";
import { allSymbols, optionalPthreadSymbols } from "./symbols.ts";

export type Libc = Functions<typeof allSymbols>;

// glibc first, then musl's loader, which is also its libc.
const CANDIDATES = ["libc.so.6", "/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1", "libc.so"];

let opened: Libc | undefined;
let openedPath: string | undefined;

/**
 * The one place shmkit opens libc, through this runtime's FFI back-end (`internal/ffi`). Lazy and memoised:
 * importing `@shmkit/core` does nothing, and an unsupported platform or runtime fails here, on first use, with a
 * message that says what is supported.
 */
export function libc(): Libc {
  if (opened) return opened;
  if (process.platform !== "linux") {
    throw new Error(
      `@shmkit/core supports Linux (glibc or musl) only for now; this is ${process.platform}/${process.arch}. ` +
        "macOS lacks robust and process-shared pthread objects, see DESIGN.md.",
    );
  }
  const ffi = backend();
  const failures: string[] = [];
  for (const path of CANDIDATES) {
    try {
      opened = ffi.open(path, allSymbols);
      openedPath = path;
      return opened;
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`);
    }
  }
  throw new Error(`@shmkit/core could not open libc through ${ffi.name}:\n  ${failures.join("\n  ")}`);
}

/** The path `libc()` opened libc by (opening it first), for threads that open it themselves (futex waits). */
export function libcPath(): string {
  libc();
  return openedPath as string;
}

type OptionalName = keyof typeof optionalPthreadSymbols;
type OptionalSymbols = Partial<Functions<typeof optionalPthreadSymbols>>;

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
      Object.assign(found, backend().open(openedPath as string, { [name]: optionalPthreadSymbols[name] }));
    } catch {
      // Not in this libc: callers fall back to the older call.
    }
  }
  optional = found;
  return optional;
}

const rawSyscallSymbols = {
  syscall: { args: ["i64", "ptr", "ptr", "ptr", "ptr", "ptr", "ptr"], returns: "i64" },
} as const;

/**
 * `declarations` opened in the library `libc()` opened, on first use and once: for symbols that only some libcs
 * have, or a second declaration of one, so that `libc()` itself opens everywhere.
 */
function later<D extends Declarations>(declarations: D): () => Functions<D> {
  let functions: Functions<D> | undefined;
  return () => {
    if (!functions) {
      libc();
      functions = backend().open(openedPath as string, declarations);
    }
    return functions;
  };
}

const rawSyscallLibrary = later(rawSyscallSymbols);

/**
 * `syscall(nr, a, b, c, d, e, f)` with six pointer-sized arguments (numbers, or typed arrays passed by address;
 * 0 for unused ones), returning -1 with errno set on failure. The one in `libc()` is declared for futex waits (a
 * pointer, two ints and a pointer); robust-list calls and FUTEX_WAKE_OP need pointer-sized arguments in other
 * places, so this is a second declaration of the same function.
 */
export function rawSyscall(): Functions<typeof rawSyscallSymbols>["syscall"] {
  return rawSyscallLibrary().syscall;
}

const statxSymbols = {
  statx: { args: ["i32", "cstring", "i32", "u32", "ptr"], returns: "i32" },
} as const;

const statxLibrary = later(statxSymbols);

/**
 * `statx(dirfd, path, flags, mask, buf)` (glibc 2.28+, musl 1.2.5+), opened on first use only, so that an older
 * libc still opens. Its struct has one layout on every architecture, unlike `struct stat`.
 */
export function statxCall(): Functions<typeof statxSymbols>["statx"] {
  return statxLibrary().statx;
}
