// shmkit-stream.ts (SPSC) for Node and Deno, run from core's built dist (plain JavaScript, no Bun globals): one
// producer child streams 64-byte messages; this process consumes them in place (drain) and times batches.
// --runtime is the JSON command that starts the consumer's runtime; --producer-runtime the producer's (default:
// the same), e.g. ["bun"] for a Bun producer feeding a Node consumer.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Channel, Segment } from "@shmkit/core";

const MESSAGE_BYTES = 64;
const argv = process.argv.slice(2);
const get = (flag, fallback) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);
const batches = Number(get("--batches", "10"));
const per = Number(get("--per", "100000"));
const cpuB = Number(get("--cpu-b", "-1"));
const runtime = JSON.parse(get("--runtime", JSON.stringify([process.execPath])));
const producerRuntime = JSON.parse(get("--producer-runtime", JSON.stringify(runtime)));
const WARM = 1_000_000; // messages read before timing starts: JIT warm-up on both sides
const wait = { timeoutMs: 10_000 };
// A synchronous sleep that every runtime has: warm-up pauses let the compiler thread, which shares a pinned
// core with the loop it compiles, finish its work (as shmkit-stream.ts does with Bun.sleepSync).
const nap = new Int32Array(new SharedArrayBuffer(4));
const sleepSync = (ms) => Atomics.wait(nap, 0, 0, ms);

if (argv[0] === "child") {
  const [, name, countText] = argv;
  // No `using` in these scripts: Node 20 and 22 cannot parse it, and they run there too (the koffi back-end).
  const ch = Channel.open(name, { messageSize: MESSAGE_BYTES });
  try {
    const tx = ch.sender();
    const words = new Int32Array(tx.bytes.buffer);
    const count = Number(countText);
    for (let seq = 0; seq < count; seq++) {
      if (seq < WARM && seq % 20_000 === 19_999) sleepSync(2);
      const at = tx.reserveWait(wait);
      if (at < 0) throw new Error("stream: ring full for 10 s");
      const w = at >> 2;
      words[w] = 0;
      words[w + 1] = seq;
      for (let i = 2; i < MESSAGE_BYTES >> 2; i++) words[w + i] = seq ^ i; // fill all 64 bytes, as C does
      tx.commit(MESSAGE_BYTES);
    }
  } finally {
    ch.close();
  }
} else {
  const name = `/shmkit-bench-stream-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const ch = Channel.create(name, { kind: "spsc", messageSize: MESSAGE_BYTES, capacity: 1024 });
  const total = WARM + batches * per;
  let child;
  try {
    // Pinned: the producer on the other core than this consumer.
    const pin = cpuB >= 0 ? ["taskset", "-c", String(cpuB)] : [];
    const [exe, ...rest] = [
      ...pin,
      ...producerRuntime,
      fileURLToPath(import.meta.url),
      "child",
      name,
      String(total),
    ];
    child = spawn(exe, rest, { stdio: ["ignore", "inherit", "inherit"] });
    const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
    const rx = ch.receiver();
    const view = rx.view;
    let next = 0;
    let bad = 0;
    const check = (at) => {
      const seq = view.getInt32(at + 4, true);
      if (seq !== next) bad++;
      next = seq + 1;
    };
    const receive = (n) => {
      for (let got = 0; got < n; ) {
        const k = rx.drain(check, n - got);
        got += k;
        if (k === 0 && rx.peekWait(wait) < 0) throw new Error("stream: no message for 10 s");
      }
    };
    for (let n = 0; n < WARM; n += 20_000) {
      receive(Math.min(20_000, WARM - n));
      sleepSync(2);
    }
    ch.unlink();
    const samples = [];
    for (let b = 0; b < batches; b++) {
      const start = process.hrtime.bigint();
      receive(per);
      samples.push(Number(process.hrtime.bigint() - start) / per);
    }
    const code = await exited;
    if (code !== 0) throw new Error(`stream: the producer exited with ${code}`);
    if (bad !== 0) throw new Error(`stream: ${bad} messages out of order`);
    process.stdout.write(`${JSON.stringify({ samples })}\n`);
  } finally {
    child?.kill();
    ch.close();
    Segment.unlink(name, { ifExists: true });
  }
}
