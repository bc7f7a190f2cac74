import type * as BunFfi from "bun:ffi";
import { bunBackend } from "./bun.ts";
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
  throw new Error("@shmkit/core runs on Bun (bun:ffi) for now");
}
