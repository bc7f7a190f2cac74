import { dlopen } from "bun:ffi";
import { allSymbols } from "./symbols.ts";

type Library = ReturnType<typeof dlopen<typeof allSymbols>>;
export type Libc = Library["symbols"];

// glibc first, then musl's loader, which is also its libc.
const CANDIDATES = ["libc.so.6", "/lib/ld-musl-x86_64.so.1", "/lib/ld-musl-aarch64.so.1", "libc.so"];

let opened: Libc | undefined;

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
      return opened;
    } catch (error) {
      failures.push(`${path}: ${(error as Error).message}`);
    }
  }
  throw new Error(`@shmkit/core could not open libc:\n  ${failures.join("\n  ")}`);
}
