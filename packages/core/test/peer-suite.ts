// Tests of core across runtimes: Bun (this process, from src/) and a peer process in another runtime (Node 26,
// Deno 2) running test/fixtures/peer.mjs, which imports core's built dist/ by its name, as a user of that runtime
// gets it from npm. Each test file that calls peerSuite builds dist/ first.
import { expect, test } from "bun:test";
import { Channel, Condition, Mutex, ReadyWord, Segment, TypedSegment, WaitWord } from "../src/index.ts";
import type { FieldDigest, SyncField, Views } from "../src/runtime.ts";
import { hostTarget } from "../src/targets/index.ts";
import { readMessage, writeMessage } from "./channel/fixtures/message.ts";
import { FIXTURES, ROBUST_IF_SUPPORTED, uniqueName } from "./helpers.ts";

const PEER = `${FIXTURES}/peer.mjs`;
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

/** A peer with its stdout read line by line, killed by its time-out if it hangs. */
function spawnPeer(command: readonly string[], args: string[], fd3?: number) {
  const child = Bun.spawn([...command, PEER, ...args], {
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

/**
 * The cross-process tests with `runtime` (a runtime's name, in test names) started by `command` (its executable and
 * flags); call inside a describe that has built dist/.
 */
export function peerSuite(runtime: string, command: readonly string[]): void {
  test(`a mutex made by Bun (robust where robust lists exist) keeps a counter exact while ${runtime} increments it too`, async () => {
    const name = uniqueName("peer-count");
    using seg = Segment.create(name, { size: 4096 });
    const mutex = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const counter = new Int32Array(seg.buffer, 64, 1);
    const go = new Int32Array(seg.buffer, 192, 1);
    const PEER_N = 100_000;
    const BUN_N = 1_000_000;
    const peer = spawnPeer(command, ["count", name, String(PEER_N)]);
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
    expect(counter[0]).toBe(PEER_N + BUN_N);
  }, 60_000);

  test(`${runtime}'s waitAsync is woken by Bun while ${runtime}'s timers keep running`, async () => {
    const name = uniqueName("peer-wait");
    using seg = Segment.create(name, { size: 4096 });
    const word = WaitWord.at(seg, 128);
    const peer = spawnPeer(command, ["wait", name]);
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

  test(`a Condition passes the turn between Bun and ${runtime} 1,000 times each way`, async () => {
    const name = uniqueName("peer-cond");
    using seg = Segment.create(name, { size: 4096 });
    const mutex = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const cond = Condition.init(seg, 64);
    const turn = new Int32Array(seg.buffer, 128, 1);
    const ROUNDS = 1000;
    const peer = spawnPeer(command, ["cond", name, String(ROUNDS)]);
    for (let i = 0; i < ROUNDS; i++) {
      mutex.lock();
      turn[0] = 2 * i + 1;
      cond.signal();
      while (turn[0] !== 2 * i + 2) {
        if (cond.wait(mutex, { timeoutMs: 10_000 }) === "timed-out") {
          mutex.unlock();
          throw new Error(`no answer from ${runtime} to turn ${2 * i + 1} in 10 s: ${await peer.stderr()}`);
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

  test(`ReadyWord: Bun waits while ${runtime} initialises, then ${runtime}'s waitReadyAsync waits for Bun`, async () => {
    const name = uniqueName("peer-ready");
    using seg = Segment.create(name, { size: 4096 });
    const words = new Int32Array(seg.buffer, 64, 2);
    const peer = spawnPeer(command, ["ready", name]);
    await ReadyWord.at(seg, 0).waitReadyAsync({ timeoutMs: 20_000 });
    expect(words[0]).toBe(42);
    expect(ReadyWord.at(seg, 0).initOnce(() => {})).toBe("attached");
    expect(await peer.until("waiting")).toContain("waiting");
    await Bun.sleep(200); // ${runtime}'s timer ticks every 5 ms while it waits
    expect(ReadyWord.at(seg, 4).initOnce(() => (words[1] = 43))).toBe("initialised");
    const out = await peer.until("second");
    await peer.child.exited;
    expect(peer.child.exitCode).toBe(0);
    const match = /^initialised\nwaiting\nsecond (\d+) ticks (\d+)\n$/.exec(out);
    expect(match?.[1]).toBe("43");
    expect(Number(match?.[2])).toBeGreaterThan(5);
  }, 60_000);

  test(`a typed segment made by Bun keeps its count exact while ${runtime} increments it under its mutex`, async () => {
    const name = uniqueName("peer-typed");
    using shm = TypedSegment.create(Counter, name, { ...ROBUST_IF_SUPPORTED, init: (c) => (c.count = 0) });
    const mutex = Mutex.at(shm.segment, shm.offset);
    const PEER_N = 100_000;
    const BUN_N = 300_000;
    const peer = spawnPeer(command, ["typed", name, String(PEER_N)]);
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
    expect(shm.data.count).toBe(PEER_N + BUN_N);
  }, 60_000);

  test(`a channel from a Bun producer to ${runtime}'s for await delivers 100,000 messages in order, 0 lost`, async () => {
    const name = uniqueName("peer-ch-in");
    using ch = Channel.create(name, { messageSize: 64, capacity: 256 });
    const N = 100_000;
    const peer = spawnPeer(command, ["consume", name]);
    const tx = ch.sender();
    for (let seq = 0; seq < N; seq++) {
      const at = tx.reserveWait({ timeoutMs: 10_000 });
      if (at < 0) throw new Error(`${runtime} read nothing for 10 s at seq ${seq}: ${await peer.stderr()}`);
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

  test(`a channel from a ${runtime} producer to Bun's for await delivers 100,000 messages in order, 0 lost`, async () => {
    const name = uniqueName("peer-ch-out");
    using ch = Channel.create(name, { messageSize: 64, capacity: 256 });
    const N = 100_000;
    const peer = spawnPeer(command, ["produce", name, String(N)]);
    let received = 0;
    const consumed = (async () => {
      for await (const message of ch.receiver()) {
        const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
        const [, seq] = readMessage(view, message, 0, message.byteLength);
        if (seq !== received) throw new Error(`got seq ${seq}, want ${received}`);
        received++;
      }
    })();
    consumed.catch(() => {}); // if the producer failed, the channel's close at the end ends this loop
    // A producer that fails never closes the channel: stop waiting for messages when it exits unsuccessfully.
    const failed = peer.child.exited.then(async (code) => {
      if (code !== 0) throw new Error(`${runtime} producer exited with ${code}: ${await peer.stderr()}`);
      return consumed;
    });
    await Promise.race([consumed, failed]);
    expect(received).toBe(N);
    const out = await peer.until("sent");
    await peer.child.exited;
    expect({ code: peer.child.exitCode, out, stderr: await peer.stderr() }).toEqual({
      code: 0,
      out: `sent ${N}\n`,
      stderr: "",
    });
  }, 60_000);

  test(`a memfd segment handed to ${runtime} as fd 3 is the same memory: a shared mutex keeps a counter exact`, async () => {
    using seg = Segment.anonymous({ size: 4096, label: "peer-fd" });
    const mutex = Mutex.init(seg, 0, ROBUST_IF_SUPPORTED);
    const counter = new Int32Array(seg.buffer, 64, 1);
    const PEER_N = 100_000;
    const BUN_N = 300_000;
    const peer = spawnPeer(command, ["fd-count", String(PEER_N)], seg.fd);
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
    expect(counter[0]).toBe(PEER_N + BUN_N);
  }, 60_000);
}
