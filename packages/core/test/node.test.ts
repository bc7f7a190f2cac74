// Bun and Node 26 share one segment, each in its own process. The Node side runs core from its built dist/, as a
// Node user gets it from npm (test/fixtures/node/peer.mjs imports "@shmkit/core"); this file builds it first.
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Mutex, Segment, WaitWord } from "../src/index.ts";
import { FIXTURES, ROBUST_IF_SUPPORTED, run, uniqueName } from "./helpers.ts";
import { node26 } from "./runtimes.ts";

const node = node26();
const PEER = `${FIXTURES}/node/peer.mjs`;
const CHILD_TIMEOUT_MS = 30_000;

/** A Node peer with its stdout read line by line, killed by its time-out if it hangs. */
function spawnPeer(args: string[]) {
  const child = Bun.spawn([node.path as string, "--no-warnings=ExperimentalWarning", PEER, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: CHILD_TIMEOUT_MS,
    killSignal: "SIGKILL",
  });
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let out = "";
  return {
    child,
    /** Reads until stdout has a line starting with `prefix`, or ends; returns all of stdout so far. */
    async until(prefix: string): Promise<string> {
      while (!out.split("\n").some((line) => line.startsWith(prefix))) {
        const chunk = await reader.read();
        if (chunk.done) break;
        out += decoder.decode(chunk.value, { stream: true });
      }
      return out;
    },
    stderr: () => new Response(child.stderr).text(),
  };
}

describe.skipIf(!node.path)(
  node.path ? "Bun and Node 26 (node:ffi)" : `Bun and Node 26 (skipped: ${node.reason})`,
  () => {
    beforeAll(async () => {
      const built = await run([process.execPath, "run", "build"], {
        timeoutMs: 120_000,
      });
      if (built.exitCode !== 0) throw new Error(`bun run build failed:\n${built.stdout}${built.stderr}`);
    }, 130_000);

    test("a mutex made by Bun (robust where robust lists exist) keeps a counter exact while Node increments it too", async () => {
      const name = uniqueName("node-count");
      using seg = Segment.create(name, { size: 4096 });
      const mutex = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
      const counter = new Int32Array(seg.buffer, 64, 1);
      const go = new Int32Array(seg.buffer, 192, 1);
      const NODE_N = 100_000;
      const BUN_N = 1_000_000;
      const peer = spawnPeer(["count", name, String(NODE_N)]);
      expect(await peer.until("ready")).toContain("ready");
      Atomics.store(go, 0, 1);
      for (let i = 0; i < BUN_N; i++) {
        mutex.lock();
        counter[0] = (counter[0] as number) + 1;
        mutex.unlock();
      }
      const out = await peer.until("done");
      await peer.child.exited;
      expect({ code: peer.child.exitCode, out, stderr: await peer.stderr() }).toEqual({
        code: 0,
        out: "ready\ndone\n",
        stderr: "",
      });
      expect(counter[0]).toBe(NODE_N + BUN_N);
    }, 60_000);

    test("Node's waitAsync is woken by Bun while Node's timers keep running", async () => {
      const name = uniqueName("node-wait");
      using seg = Segment.create(name, { size: 4096 });
      const word = WaitWord.at(seg, 128);
      const peer = spawnPeer(["wait", name]);
      expect(await peer.until("waiting")).toContain("waiting");
      await Bun.sleep(200); // the peer's timer ticks every 5 ms meanwhile
      word.store(7);
      word.notify();
      const out = await peer.until("woken");
      await peer.child.exited;
      expect(peer.child.exitCode).toBe(0);
      const match = /woken (\S+) (\d+) ticks (\d+)/.exec(out);
      expect(match?.slice(1, 3)).toEqual(["ok", "7"]);
      expect(Number(match?.[3])).toBeGreaterThan(10);
    }, 60_000);

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
