import { ShmArgumentError } from "./errors.ts";

/** The longest name a POSIX shared memory object can have on Linux, in bytes, without the slash (NAME_MAX). */
export const NAME_MAX = 255;

/**
 * Checks a segment name and returns it in the form `shm_open(3)` wants: one leading slash, then 1 to 255 bytes
 * with no slash and no NUL. `orders` and `/orders` are the same segment, as in Python's
 * `multiprocessing.shared_memory`, whose names have no slash.
 */
export function normalizeName(name: unknown): string {
  if (typeof name !== "string") throw new ShmArgumentError("name", "must be a string", name);
  const bare = name.startsWith("/") ? name.slice(1) : name;
  if (bare.length === 0)
    throw new ShmArgumentError("name", "must not be empty (give a name such as /orders)", name);
  if (bare.includes("/"))
    throw new ShmArgumentError("name", "must not contain a slash after the first character", name);
  if (bare.includes("\0")) throw new ShmArgumentError("name", "must not contain a NUL character", name);
  if (bare === "." || bare === "..") throw new ShmArgumentError("name", "must not be . or ..", name);
  const bytes = Buffer.byteLength(bare, "utf8");
  if (bytes > NAME_MAX) {
    throw new ShmArgumentError(
      "name",
      `must be at most ${NAME_MAX} bytes without the slash, this one has ${bytes}`,
      name,
    );
  }
  return `/${bare}`;
}

/** `name` as a NUL-terminated C string for bun:ffi. */
export function cName(normalized: string): Uint8Array {
  return new TextEncoder().encode(`${normalized}\0`);
}
