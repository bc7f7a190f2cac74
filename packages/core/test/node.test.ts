// Bun and Node 26 share memory, each in its own process: the tests of test/peer-suite.ts with a Node peer, and
// what Node with node:ffi disabled does. The Node side runs core from its built dist/; this file builds it first.
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { run } from "./helpers.ts";
import { peerSuite } from "./peer-suite.ts";
import { node26 } from "./runtimes.ts";
import { withoutKoffi } from "./without-koffi.ts";

const node = node26();

describe.skipIf(!node.path)(
  node.path ? "Bun and Node 26 (node:ffi)" : `Bun and Node 26 (skipped: ${node.reason})`,
  () => {
    beforeAll(async () => {
      const built = await run([process.execPath, "run", "build"], { timeoutMs: 120_000 });
      if (built.exitCode !== 0) throw new Error(`bun run build failed:\n${built.stdout}${built.stderr}`);
    }, 130_000);

    peerSuite("Node", [node.path as string, "--no-warnings=ExperimentalWarning"]);

    test("Node 26 with node:ffi disabled runs core through koffi, and prints no ExperimentalWarning", async () => {
      const script = `const { Mutex, Segment } = await import(${JSON.stringify(join(import.meta.dir, "../dist/index.js"))}); using seg = Segment.anonymous({ size: 4096 }); const m = Mutex.init(seg, 0); m.lock(); m.unlock(); console.log("locked and unlocked");`;
      // No --no-warnings: node:ffi would print its ExperimentalWarning if it were loaded.
      const result = await run([
        node.path as string,
        "--no-experimental-ffi",
        "--input-type=module",
        "-e",
        script,
      ]);
      expect({ out: result.stdout, err: result.stderr }).toEqual({ out: "locked and unlocked\n", err: "" });
    });

    test("Node 26 with node:ffi disabled and no koffi names the flag on first use, not at import", async () => {
      const result = await withoutKoffi((dir) =>
        run([node.path as string, "--no-experimental-ffi", join(dir, "first-use.mjs")], {
          env: { NODE_PATH: "" },
        }),
      );
      expect(result.stdout).toBe(
        `koffi hidden\nimported\n@shmkit/core on Node ${(node.version as string).slice(1)} without node:ffi needs koffi, which is not installed: npm install koffi (3.0.0 or later), or run node without --no-experimental-ffi (and with --allow-ffi under the permission model) to use node:ffi\n`,
      );
    });
  },
);
