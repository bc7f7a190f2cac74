// Where scripts/install-runtimes.sh put the other runtimes the cross-runtime tests run core on. Each lookup gives
// the path, or the reason there is none, so that a test can say why it skipped.
import { existsSync } from "node:fs";
import { join } from "node:path";

// The packages for this process's architecture: a peer must lay out pthread objects as this process does (an
// x86_64 Node beside an aarch64 Bun under qemu would share a 40-byte mutex with a 48-byte one).
const ARCH = process.arch === "arm64" ? "arm64" : "x64";
const CACHE = join(import.meta.dir, `../../../node_modules/.cache/shmkit/runtimes/${ARCH}/node_modules`);
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

/** Node 26 (node:ffi), from the npm package node-linux-<arch>. */
export function node26(): Found {
  node ??= probe(join(CACHE, `node-linux-${ARCH}/bin/node`), ["--version"], /^v26\./, "Node 26");
  return node;
}

let deno: Found | undefined;

/** Deno 2, from the npm package @deno/linux-<arch>-glibc. */
export function deno2(): Found {
  deno ??= probe(join(CACHE, `@deno/linux-${ARCH}-glibc/deno`), ["--version"], /^deno 2\./, "Deno 2");
  return deno;
}
