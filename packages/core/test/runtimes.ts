// Where scripts/install-runtimes.sh put the other runtimes the cross-runtime tests run core on. Each lookup gives
// the path, or the reason there is none, so that a test can say why it skipped.
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// The packages for this process's architecture: a peer must lay out pthread objects as this process does (an
// x86_64 Node beside an aarch64 Bun under qemu would share a 40-byte mutex with a 48-byte one).
const ARCH = process.arch === "arm64" ? "arm64" : "x64";
const CACHE = join(import.meta.dir, `../../../node_modules/.cache/shmkit/runtimes/${ARCH}/node_modules`);
const INSTALL = "run scripts/install-runtimes.sh";

export type Found =
  | { path: string; version: string; reason?: undefined }
  | { path?: undefined; version?: undefined; reason: string };

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

let node20Found: Found | undefined;

/**
 * Node 20–25, which runs core through koffi: the pinned Node 20 from the npm package node-linux-<arch> (installed
 * as `node20`), else the machine's own `node` if it is one of those and of this process's architecture.
 *
 * The pinned package comes first, on every architecture: it is the same Node for every developer and CI, and
 * under qemu (scripts/test-aarch64.sh) the machine's node is an x86_64 one, which would lay out pthread objects
 * as x86_64 does beside an aarch64 Bun. The machine's node is the fall-back where the pin did not install.
 */
export function node20(): Found {
  node20Found ??= findNode20();
  return node20Found;
}

function findNode20(): Found {
  const pinned = probe(join(CACHE, "node20/bin/node"), ["--version"], /^v2[0-5]\./, "Node 20");
  if (pinned.path) return pinned;
  const own = Bun.which("node");
  if (!own) return { reason: `${pinned.reason}; and there is no node on PATH` };
  const out = Bun.spawnSync([own, "-p", 'process.version + " " + process.arch'], {
    stdout: "pipe",
    timeout: 10_000,
  });
  const [version = "", arch] = out.stdout.toString().trim().split(" ");
  if (arch !== process.arch || !/^v2[0-5]\./.test(version)) {
    return {
      reason: `${pinned.reason}; and ${own} is Node ${version || "?"} for ${arch ?? "?"}, not Node 20–25 for ${process.arch}`,
    };
  }
  return { path: realpathSync(own), version };
}

/**
 * Where a Node 20 peer finds koffi's native binary for this architecture when bun installed koffi for another
 * (scripts/install-runtimes.sh puts @koromix/koffi-linux-<arch> there for SHMKIT_RUNTIMES_ARCH): a NODE_PATH.
 */
export const KOFFI_NATIVE_PATH = CACHE;

/**
 * How a test starts a Node 20 peer at `node`: koffi's native binary on its NODE_PATH, and the TypeScript files the
 * peer imports (`typeScript`, absolute paths) served as JavaScript, since Node 20 cannot strip types.
 */
export function node20Command(node: string, typeScript: readonly string[]): string[] {
  return ["env", `NODE_PATH=${KOFFI_NATIVE_PATH}`, node, "--import", typeScriptAsJs(typeScript)];
}

/**
 * A `--import` for Node 20, which cannot load TypeScript: each of `files` is served as the JavaScript Bun's
 * transpiler makes of it, through a module loader hook.
 */
function typeScriptAsJs(files: readonly string[]): string {
  const transpiler = new Bun.Transpiler({ loader: "ts" });
  const sources = Object.fromEntries(
    files.map((file) => [pathToFileURL(file).href, transpiler.transformSync(readFileSync(file, "utf8"))]),
  );
  const hooks = `let sources;
export function initialize(data) { sources = data; }
export async function load(url, context, next) {
  const source = sources[url];
  return source === undefined ? next(url, context) : { format: "module", source, shortCircuit: true };
}`;
  const entry = `import { register } from "node:module";
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)}, { data: ${JSON.stringify(sources)} });`;
  return `data:text/javascript,${encodeURIComponent(entry)}`;
}
