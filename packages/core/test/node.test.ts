// Bun and Node 26 share one segment, each in its own process. The Node side runs core from its built dist/, as a
// Node user gets it from npm (test/fixtures/node/peer.mjs imports "@shmkit/core"); this file builds it first.
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { Channel, Condition, Mutex, ReadyWord, Segment, TypedSegment, WaitWord } from "../src/index.ts";
import type { FieldDigest, SyncField, Views } from "../src/runtime.ts";
import { hostTarget } from "../src/targets/index.ts";
import { readMessage, writeMessage } from "./channel/fixtures/message.ts";
import { FIXTURES, run, uniqueName } from "./helpers.ts";
import { node26 } from "./runtimes.ts";

const node = node26();
const PEER = `${FIXTURES}/node/peer.mjs`;
const CHILD_TIMEOUT_MS = 30_000;

// The peer's Counter, as Bun sees it: `struct Counter { pthread_mutex_t lock; int32_t count; }`.
const MUTEX_SIZE = hostTarget().libcTypes.pthread_mutex_t.size;
class Counter {
  static readonly NAME = "Counter";
  static readonly TARGET: string = hostTarget().name;
  static readonly SIZE = Math.ceil((MUTEX_SIZE + 4) / 8) * 8;
  static readonly ALIGN = 8;
  static readonly FINGERPRINT = "counter-peer-v1";
  static readonly SYNC: readonly SyncField[] = [
    { field: "Counter.lock", offset: 0, type: "pthread_mutex_t" },
  ];
  static readonly FIELDS: readonly FieldDigest[] = [
    { name: "lock", offset: 0, size: MUTEX_SIZE, typeHash: 1 },
    { name: "count", offset: MUTEX_SIZE, size: 4, typeHash: 2 },
  ];
  readonly $v: Views;
  readonly $base: number;
  constructor(views: Views, base: number) {
    this.$v = views;
    this.$base = base;
  }
  get count(): number {
    return this.$v.i32[(this.$base + MUTEX_SIZE) >>> 2] as number;
  }
  set count(value: number) {
    this.$v.i32[(this.$base + MUTEX_SIZE) >>> 2] = value;
  }
}

/** A Node peer with its stdout read line by line, killed by its time-out if it hangs. */
function spawnPeer(args: string[], fd3?: number) {
  const child = Bun.spawn([node.path as string, "--no-warnings=ExperimentalWarning", PEER, ...args], {
    stdio: ["ignore", "pipe", "pipe", ...(fd3 === undefined ? [] : [fd3])],
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

    test("a robust mutex made by Bun keeps a counter exact while Node increments it too", async () => {
      const name = uniqueName("node-count");
      using seg = Segment.create(name, { size: 4096 });
      const mutex = Mutex.init(seg, 0);
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

    test("a Condition passes the turn between Bun and Node 1,000 times each way", async () => {
      const name = uniqueName("node-cond");
      using seg = Segment.create(name, { size: 4096 });
      const mutex = Mutex.init(seg, 0);
      const cond = Condition.init(seg, 64);
      const turn = new Int32Array(seg.buffer, 128, 1);
      const ROUNDS = 1000;
      const peer = spawnPeer(["cond", name, String(ROUNDS)]);
      for (let i = 0; i < ROUNDS; i++) {
        mutex.lock();
        turn[0] = 2 * i + 1;
        cond.signal();
        while (turn[0] !== 2 * i + 2) {
          if (cond.wait(mutex, { timeoutMs: 10_000 }) === "timed-out") {
            mutex.unlock();
            throw new Error(`no answer from Node to turn ${2 * i + 1} in 10 s: ${await peer.stderr()}`);
          }
        }
        mutex.unlock();
      }
      const out = await peer.until("done");
      await peer.child.exited;
      expect({ code: peer.child.exitCode, out, stderr: await peer.stderr() }).toEqual({
        code: 0,
        out: "done\n",
        stderr: "",
      });
    }, 60_000);

    test("ReadyWord: Bun waits while Node initialises, then Node's waitReadyAsync waits for Bun", async () => {
      const name = uniqueName("node-ready");
      using seg = Segment.create(name, { size: 4096 });
      const words = new Int32Array(seg.buffer, 64, 2);
      const peer = spawnPeer(["ready", name]);
      await ReadyWord.at(seg, 0).waitReadyAsync({ timeoutMs: 20_000 });
      expect(words[0]).toBe(42);
      expect(ReadyWord.at(seg, 0).initOnce(() => {})).toBe("attached");
      await Bun.sleep(100); // Node's timer ticks every 5 ms while it waits
      expect(ReadyWord.at(seg, 4).initOnce(() => (words[1] = 43))).toBe("initialised");
      const out = await peer.until("second");
      await peer.child.exited;
      expect(peer.child.exitCode).toBe(0);
      const match = /^initialised\nsecond (\d+) ticks (\d+)\n$/.exec(out);
      expect(match?.[1]).toBe("43");
      expect(Number(match?.[2])).toBeGreaterThan(5);
    }, 60_000);

    test("a typed segment made by Bun keeps its count exact while Node increments it under its mutex", async () => {
      const name = uniqueName("node-typed");
      using shm = TypedSegment.create(Counter, name, { init: (c) => (c.count = 0) });
      const mutex = Mutex.at(shm.segment, shm.offset);
      const NODE_N = 100_000;
      const BUN_N = 300_000;
      const peer = spawnPeer(["typed", name, String(NODE_N)]);
      for (let i = 0; i < BUN_N; i++) {
        mutex.lock();
        shm.data.count = shm.data.count + 1;
        mutex.unlock();
      }
      const out = await peer.until("done");
      await peer.child.exited;
      expect({ code: peer.child.exitCode, out, stderr: await peer.stderr() }).toEqual({
        code: 0,
        out: "done\n",
        stderr: "",
      });
      expect(shm.data.count).toBe(NODE_N + BUN_N);
    }, 60_000);

    test("a channel from a Bun producer to Node's for await delivers 100,000 messages in order, 0 lost", async () => {
      const name = uniqueName("node-ch-in");
      using ch = Channel.create(name, { messageSize: 64, capacity: 256 });
      const N = 100_000;
      const peer = spawnPeer(["consume", name]);
      const tx = ch.sender();
      for (let seq = 0; seq < N; seq++) {
        const at = tx.reserveWait({ timeoutMs: 10_000 });
        if (at < 0) throw new Error(`Node read nothing for 10 s at seq ${seq}: ${await peer.stderr()}`);
        tx.commit(writeMessage(tx.view, tx.bytes, at, 0, seq));
      }
      tx.close();
      const out = await peer.until("received");
      await peer.child.exited;
      expect({ code: peer.child.exitCode, out, stderr: await peer.stderr() }).toEqual({
        code: 0,
        out: `received ${N}\n`,
        stderr: "",
      });
    }, 60_000);

    test("a channel from a Node producer to Bun's for await delivers 100,000 messages in order, 0 lost", async () => {
      const name = uniqueName("node-ch-out");
      using ch = Channel.create(name, { messageSize: 64, capacity: 256 });
      const N = 100_000;
      const peer = spawnPeer(["produce", name, String(N)]);
      let received = 0;
      for await (const message of ch.receiver()) {
        const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
        const [, seq] = readMessage(view, message, 0, message.byteLength);
        if (seq !== received) throw new Error(`got seq ${seq}, want ${received}`);
        received++;
      }
      expect(received).toBe(N);
      const out = await peer.until("sent");
      await peer.child.exited;
      expect({ code: peer.child.exitCode, out, stderr: await peer.stderr() }).toEqual({
        code: 0,
        out: `sent ${N}\n`,
        stderr: "",
      });
    }, 60_000);

    test("a memfd segment handed to Node as fd 3 is the same memory: a shared mutex keeps a counter exact", async () => {
      using seg = Segment.anonymous({ size: 4096, label: "node-fd" });
      const mutex = Mutex.init(seg, 0);
      const counter = new Int32Array(seg.buffer, 64, 1);
      const NODE_N = 100_000;
      const BUN_N = 300_000;
      const peer = spawnPeer(["fd-count", String(NODE_N)], seg.fd);
      for (let i = 0; i < BUN_N; i++) {
        mutex.lock();
        counter[0] = (counter[0] as number) + 1;
        mutex.unlock();
      }
      const out = await peer.until("done");
      await peer.child.exited;
      expect({ code: peer.child.exitCode, out, stderr: await peer.stderr() }).toEqual({
        code: 0,
        out: "done fd 3 4096\n",
        stderr: "",
      });
      expect(counter[0]).toBe(NODE_N + BUN_N);
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
