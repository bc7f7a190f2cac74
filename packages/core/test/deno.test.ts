// Bun and Deno 2 share memory, each in its own process: the tests of test/peer-suite.ts with a Deno peer, and what
// Deno without --allow-ffi says. Deno runs core's built dist/ (peer.mjs imports "@shmkit/core", which Deno resolves
// through node_modules without the "bun" condition); this file builds it first.
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { run } from "./helpers.ts";
import { peerSuite } from "./peer-suite.ts";
import { deno2 } from "./runtimes.ts";

const deno = deno2();

describe.skipIf(!deno.path)(
  deno.path ? "Bun and Deno 2 (Deno.dlopen)" : `Bun and Deno 2 (skipped: ${deno.reason})`,
  () => {
    beforeAll(async () => {
      const built = await run([process.execPath, "run", "build"], { timeoutMs: 120_000 });
      if (built.exitCode !== 0) throw new Error(`bun run build failed:\n${built.stdout}${built.stderr}`);
    }, 130_000);

    // --allow-ffi alone: loading local modules needs no --allow-read, and core reads no environment.
    peerSuite("Deno", [deno.path as string, "run", "--quiet", "--allow-ffi"]);

    for (const flags of [[], ["--allow-ffi=/usr/lib/x86_64-linux-gnu/libc.so.6"]]) {
      test(`Deno ${flags.length ? "with a scoped --allow-ffi" : "without --allow-ffi"} says to pass --allow-ffi on first use, not at import`, async () => {
        const script = `const core = await import(${JSON.stringify(join(import.meta.dir, "../dist/index.js"))}); console.log("imported"); try { core.Segment.exists("/x"); } catch (e) { console.log(e.message); }`;
        // `deno eval` would grant every permission: run the script from stdin instead.
        const result = await run([deno.path as string, "run", "--quiet", ...flags, "-"], {
          stdin: script,
          timeoutMs: 30_000,
        });
        expect(result.stdout).toContain("imported\n@shmkit/core needs Deno's FFI: run deno with --allow-ffi");
      });
    }
  },
);
