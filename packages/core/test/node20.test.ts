// Bun and Node 20 share memory, each in its own process: the tests of test/peer-suite.ts with a Node 20 peer, which
// has no node:ffi and runs core through koffi (core's devDependency, found from dist/ as a user's node_modules
// would have it), and what Node 20 says without koffi. The Node side runs core's built dist/; this file builds it.
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { run } from "./helpers.ts";
import { peerSuite } from "./peer-suite.ts";
import { KOFFI_NATIVE_PATH, node20, node20Command } from "./runtimes.ts";
import { withoutKoffi } from "./without-koffi.ts";

const node = node20();

describe.skipIf(!node.path)(
  node.path ? `Bun and Node ${node.version} (koffi)` : `Bun and Node 20 (skipped: ${node.reason})`,
  () => {
    beforeAll(async () => {
      const built = await run([process.execPath, "run", "build"], { timeoutMs: 120_000 });
      if (built.exitCode !== 0) throw new Error(`bun run build failed:\n${built.stdout}${built.stderr}`);
    }, 130_000);

    peerSuite(
      "Node 20",
      node20Command(node.path as string, [join(import.meta.dir, "channel/fixtures/message.ts")]),
    );

    test("Node 20 reports errno through koffi: opening a missing segment fails with ENOENT", async () => {
      const script = `const { Segment } = await import(${JSON.stringify(join(import.meta.dir, "../dist/index.js"))}); try { Segment.open("/shmkit-no-such-segment-${process.pid}"); } catch (e) { console.log(e.code, e.message); }`;
      const result = await run([node.path as string, "--input-type=module", "-e", script], {
        env: { NODE_PATH: KOFFI_NATIVE_PATH },
      });
      expect({ out: result.stdout, err: result.stderr }).toEqual({
        out: `ENOENT shm_open(/shmkit-no-such-segment-${process.pid}): ENOENT (No such file or directory)\n`,
        err: "",
      });
    });

    test("Node 20 without koffi says to install it on first use, not at import", async () => {
      const result = await withoutKoffi((dir) =>
        run([node.path as string, join(dir, "first-use.mjs")], { env: { NODE_PATH: "" } }),
      );
      expect(result.stdout).toBe(
        `koffi hidden\nimported\n@shmkit/core on Node ${(node.version as string).slice(1)} without node:ffi needs koffi, which is not installed: npm install koffi (3.0.0 or later), or use Node 26 or later (node:ffi)\n`,
      );
    });

    test("Node 20 with a koffi older than 3 says which version it needs", async () => {
      // A stand-in with koffi 2's version and a `view` (2.11+ has one): what is checked is the version alone.
      const koffi2 = {
        "package.json": JSON.stringify({ name: "koffi", version: "2.16.3", main: "index.js" }),
        "index.js": `module.exports = { version: "2.16.3", view() {}, load() { throw new Error("not koffi"); } };`,
      };
      const result = await withoutKoffi(
        (dir) => run([node.path as string, join(dir, "first-use.mjs")], { env: { NODE_PATH: "" } }),
        { koffi: koffi2 },
      );
      expect(result.stdout).toContain(
        `imported\n@shmkit/core on Node ${(node.version as string).slice(1)} without node:ffi needs koffi 3 or later, not 2.16.3: npm install koffi (3.0.0 or later)`,
      );
    });
  },
);
