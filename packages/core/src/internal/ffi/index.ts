import type * as BunFfi from "bun:ffi";
import type * as NodeFfi from "node:ffi";
import type * as WorkerThreads from "node:worker_threads";
import { bunBackend } from "./bun.ts";
import { type DenoFfi, denoBackend } from "./deno.ts";
import { nodeBackend } from "./node.ts";
import type { Backend } from "./port.ts";

export type { Backend } from "./port.ts";

let chosen: Backend | undefined;

/**
 * The FFI back-end of this runtime, chosen on first use and kept. Runtimes load their FFI through
 * `process.getBuiltinModule`, never a static import, so that importing `@shmkit/core` does nothing and the same
 * dist loads everywhere; an unsupported runtime fails here, once, saying what to install or which flag to pass.
 */
export function backend(): Backend {
  chosen ??= choose();
  return chosen;
}

function choose(): Backend {
  const builtin = (id: string): unknown => process.getBuiltinModule?.(id);
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun) return bunBackend(builtin("bun:ffi") as typeof BunFfi);
  // Before Node: Deno reports a Node version too, for its Node compatibility.
  const deno = (globalThis as { Deno?: Partial<DenoFfi> }).Deno;
  if (deno) return denoBackend(checkDeno(deno), builtin("node:worker_threads") as typeof WorkerThreads);
  if (versions.node) {
    const ffi = builtin("node:ffi") as typeof NodeFfi | undefined;
    if (ffi?.dlopen) return nodeBackend(ffi, builtin("node:worker_threads") as typeof WorkerThreads);
    const major = Number(versions.node.split(".")[0]);
    throw new Error(
      major >= 26
        ? `@shmkit/core needs node:ffi, which this Node ${versions.node} does not offer: run node without --no-experimental-ffi, and with --allow-ffi under the permission model`
        : `@shmkit/core needs node:ffi, which Node ${versions.node} does not have: use Node 26 or later, or Bun`,
    );
  }
  throw new Error("@shmkit/core runs on Bun, Node 26+ (node:ffi) and Deno 2; this runtime is none of them");
}

function checkDeno(deno: Partial<DenoFfi>): DenoFfi {
  // Scoped (`--allow-ffi=/path`) is not enough: Deno then refuses every pointer helper (NotCapable).
  if (deno.dlopen && deno.permissions?.querySync({ name: "ffi" }).state === "granted") return deno as DenoFfi;
  throw new Error(
    "@shmkit/core needs Deno's FFI: run deno with --allow-ffi (unscoped; --allow-ffi=<path> is not enough for pointers)",
  );
}
