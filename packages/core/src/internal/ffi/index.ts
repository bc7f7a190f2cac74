import type * as BunFfi from "bun:ffi";
import type * as NodeFfi from "node:ffi";
import type * as NodeModule from "node:module";
import type * as WorkerThreads from "node:worker_threads";
import { bunBackend } from "./bun.ts";
import { type DenoFfi, denoBackend } from "./deno.ts";
import { KOFFI_MIN_MAJOR, type Koffi, koffiBackend } from "./koffi.ts";
import { nodeBackend } from "./node.ts";
import type { Backend, FfiBackendName } from "./port.ts";

export type { Backend, FfiBackendName } from "./port.ts";

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

/**
 * The FFI through which `@shmkit/core` reaches libc on this runtime: `bun:ffi` on Bun, `node:ffi` on Node 26+,
 * `koffi` on older Node (or Node with node:ffi turned off), `Deno.dlopen` on Deno. Chooses it if no call has yet,
 * and throws what the first libc call would throw where there is none.
 */
export function ffiBackend(): FfiBackendName {
  return backend().name;
}

function choose(): Backend {
  const builtin = (id: string): unknown => process.getBuiltinModule?.(id);
  const versions = process.versions as Record<string, string | undefined>;
  if (versions.bun) return bunBackend(builtin("bun:ffi") as typeof BunFfi);
  // Before Node: Deno reports a Node version too, for its Node compatibility.
  const deno = (globalThis as { Deno?: Partial<DenoFfi> }).Deno;
  if (deno) return denoBackend(checkDeno(deno), builtin("node:worker_threads") as typeof WorkerThreads);
  if (versions.node) {
    if (!process.getBuiltinModule) {
      throw new Error(
        `@shmkit/core needs Node 20.16 or later (process.getBuiltinModule); this is Node ${versions.node}`,
      );
    }
    const threads = () => builtin("node:worker_threads") as typeof WorkerThreads;
    const ffi = builtin("node:ffi") as typeof NodeFfi | undefined;
    if (ffi?.dlopen) return nodeBackend(ffi, threads());
    return koffiBackend(...loadKoffi(builtin("node:module") as typeof NodeModule, versions.node), threads());
  }
  throw new Error(
    "@shmkit/core runs on Bun, Node 20+ (node:ffi on 26+, koffi before) and Deno 2; this runtime is none of them",
  );
}

function checkDeno(deno: Partial<DenoFfi>): DenoFfi {
  // Scoped (`--allow-ffi=/path`) is not enough: Deno then refuses every pointer helper (NotCapable).
  if (deno.dlopen && deno.permissions?.querySync({ name: "ffi" }).state === "granted") return deno as DenoFfi;
  throw new Error(
    "@shmkit/core needs Deno's FFI: run deno with --allow-ffi (unscoped; --allow-ffi=<path> is not enough for pointers)",
  );
}

/**
 * koffi, from where this file is (the user's node_modules, beside @shmkit/core), and the path it was loaded by, for
 * the wait threads. Not imported: koffi is an optional peer dependency, needed only on Node without node:ffi.
 */
function loadKoffi(module: typeof NodeModule, node: string): [Koffi, string] {
  const major = Number(node.split(".")[0]);
  const instead =
    major >= 26
      ? "or run node without --no-experimental-ffi (and with --allow-ffi under the permission model) to use node:ffi"
      : "or use Node 26 or later (node:ffi)";
  const fix = `npm install koffi (${KOFFI_MIN_MAJOR}.0.0 or later), ${instead}`;
  let path: string;
  let koffi: Partial<Koffi>;
  try {
    const require = module.createRequire(import.meta.url);
    path = require.resolve("koffi");
    koffi = require(path) as Partial<Koffi>;
  } catch (error) {
    const why =
      (error as { code?: string }).code === "MODULE_NOT_FOUND"
        ? "is not installed"
        : `did not load (${(error as Error).message})`;
    throw new Error(`@shmkit/core on Node ${node} without node:ffi needs koffi, which ${why}: ${fix}`);
  }
  const version = String(koffi.version);
  if (!(Number(version.split(".")[0]) >= KOFFI_MIN_MAJOR) || typeof koffi.view !== "function") {
    throw new Error(
      `@shmkit/core on Node ${node} without node:ffi needs koffi ${KOFFI_MIN_MAJOR} or later, not ${version}: ${fix}`,
    );
  }
  return [koffi as Koffi, path];
}
