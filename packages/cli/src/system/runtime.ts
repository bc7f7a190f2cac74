/** The JavaScript runtime running the CLI, and the FFI through which @shmkit/core reaches libc there. */
export interface RuntimeInfo {
  readonly name: "bun" | "deno" | "node";
  readonly version: string;
  /** Core's back-end on this runtime, as its errors name it. */
  readonly ffi: "bun:ffi" | "Deno.dlopen" | "node:ffi";
}

/**
 * Which runtime this is, in the order core chooses its back-end: Bun, then Deno (which reports a Node version
 * too, for its Node compatibility), then Node. Core does not export its choice, so this mirrors it; call it after
 * a libc call has succeeded, when core has settled on that back-end.
 */
export function runtimeInfo(): RuntimeInfo {
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun) return { name: "bun", version: versions.bun, ffi: "bun:ffi" };
  const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
  if (deno) return { name: "deno", version: deno.version.deno, ffi: "Deno.dlopen" };
  return { name: "node", version: versions.node ?? "unknown", ffi: "node:ffi" };
}
