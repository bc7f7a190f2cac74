import { constants } from "node:os";
import { backend } from "../ffi/index.ts";
import { libc } from "./index.ts";

/**
 * errno of the calling thread. Call it right after the failing libc call and before anything else that
 * could call into libc: FFI calls run on the JS thread, so nothing runs in between.
 */
export function lastErrno(): number {
  const location = libc().__errno_location();
  if (location === null) return 0;
  return backend().readI32(location);
}

let names: Map<number, string> | undefined;

/** `EEXIST` for 17 on Linux; `E<n>` for a number this platform does not name. */
export function errnoName(errno: number): string {
  if (!names) {
    names = new Map();
    for (const [name, value] of Object.entries(constants.errno)) {
      // EWOULDBLOCK and EDEADLOCK alias EAGAIN and EDEADLK; keep the first, more common name.
      if (!names.has(value)) names.set(value, name);
    }
  }
  return names.get(errno) ?? `E${errno}`;
}

/** The libc text for an errno, as `strerror(3)` gives it. */
export function strerror(errno: number): string {
  return String(libc().strerror(errno));
}
