import { type FfiBackendName, ffiBackend } from "@shmkit/core";

/** The JavaScript runtime running the CLI, and the FFI through which @shmkit/core reaches libc there. */
export interface RuntimeInfo {
  readonly name: "bun" | "deno" | "node";
  readonly version: string;
  /** Core's back-end on this runtime, as its errors name it. */
  readonly ffi: FfiBackendName;
}

/**
 * Which runtime this is: Bun, then Deno (which reports a Node version too, for its Node compatibility), then Node;
 * and the back-end core chose there (which throws, saying why, where core has none).
 */
export function runtimeInfo(): RuntimeInfo {
  const versions = process.versions as Record<string, string | undefined>;
  const ffi = ffiBackend();
  if (versions.bun) return { name: "bun", version: versions.bun, ffi };
  const deno = (globalThis as { Deno?: { version: { deno: string } } }).Deno;
  if (deno) return { name: "deno", version: deno.version.deno, ffi };
  return { name: "node", version: versions.node ?? "unknown", ffi };
}
