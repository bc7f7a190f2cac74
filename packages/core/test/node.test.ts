// Bun and Node 26 share memory, each in its own process: the tests of test/peer-suite.ts with a Node peer, and
// what Node without node:ffi says. The Node side runs core from its built dist/; this file builds it first.
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { run } from "./helpers.ts";
import { peerSuite } from "./peer-suite.ts";
import { node26 } from "./runtimes.ts";

const node = node26();

describe.skipIf(!node.path)(
  node.path ? "Bun and Node 26 (node:ffi)" : `Bun and Node 26 (skipped: ${node.reason})`,
  () => {
    beforeAll(async () => {
      const built = await run([process.execPath, "run", "build"], { timeoutMs: 120_000 });
      if (built.exitCode !== 0) throw new Error(`bun run build failed:\n${built.stdout}${built.stderr}`);
    }, 130_000);

    peerSuite("Node", [node.path as string, "--no-warnings=ExperimentalWarning"]);

    test("Node without node:ffi says so on first use, not at import", async () => {
      const script = `const core = await import(${JSON.stringify(join(import.meta.dir, "../dist/index.js"))}); console.log("imported"); try { core.Segment.exists("/x"); } catch (e) { console.log(e.message); }`;
      const result = await run([
        node.path as string,
        "--no-experimental-ffi",
        "--input-type=module",
        "-e",
        script,
      ]);
      expect(result.stdout).toContain("imported\n@shmkit/core needs node:ffi");
      expect(result.stdout).toContain("--no-experimental-ffi");
    });
  },
);
