// shmkit-roundtrip.ts for Node 26 and Deno 2: round trips of a 64-byte message over two shmkit SPSC channels, the
// child echoing in place, run from core's built dist (plain JavaScript, no Bun globals). --mode spin | hybrid.
// --runtime is the JSON command that starts this runtime (for the child), e.g. ["node","--no-warnings"].
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Channel, Segment } from "@shmkit/core";

const MESSAGE_BYTES = 64;
const argv = process.argv.slice(2);
const get = (flag, fallback) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);
const batches = Number(get("--batches", "10"));
const per = Number(get("--per", "1000"));
const cpuB = Number(get("--cpu-b", "-1"));
const mode = get("--mode", "hybrid");
const runtime = JSON.parse(get("--runtime", JSON.stringify([process.execPath])));
const wait = { ...(mode === "spin" ? { spinNs: Number.POSITIVE_INFINITY } : {}), timeoutMs: 10_000 };
/** Round trips before timing starts: V8's optimizing tiers need some thousands. */
const WARM = 100_000;

if (argv[0] === "child") {
  const [, reqName, repName] = argv;
  // No `using` in these scripts: Node 20 and 22 cannot parse it, and they run there too (the koffi back-end).
  const req = Channel.open(reqName, { messageSize: MESSAGE_BYTES });
  const rep = Channel.open(repName, { messageSize: MESSAGE_BYTES });
  try {
    const rx = req.receiver();
    const tx = rep.sender();
    const from = new Int32Array(rx.bytes.buffer);
    const to32 = new Int32Array(tx.bytes.buffer);
    for (;;) {
      const at = rx.peekWait(wait);
      if (at < 0) break;
      const length = rx.length;
      const to = tx.reserveWait(wait);
      if (to < 0) break;
      for (let i = 0, src = at >> 2, dst = to >> 2; i < length >> 2; i++) to32[dst + i] = from[src + i] ?? 0;
      tx.commit(length);
      rx.release();
      if (length === 0) break;
    }
  } finally {
    rep.close();
    req.close();
  }
} else {
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const names = [`/shmkit-bench-req-${tag}`, `/shmkit-bench-rep-${tag}`];
  const req = Channel.create(names[0], { messageSize: MESSAGE_BYTES, capacity: 64 });
  const rep = Channel.create(names[1], { messageSize: MESSAGE_BYTES, capacity: 64 });
  let child;
  try {
    const pin = cpuB >= 0 ? ["taskset", "-c", String(cpuB)] : [];
    const [exe, ...rest] = [...pin, ...runtime, fileURLToPath(import.meta.url), "child", ...names, ...argv];
    child = spawn(exe, rest, { stdio: ["ignore", "inherit", "inherit"] });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    const tx = req.sender();
    const rx = rep.receiver();
    const message = new Uint8Array(MESSAGE_BYTES).fill(0x5a);
    const view = new DataView(message.buffer);
    const exchange = (seq) => {
      view.setUint32(0, seq, true);
      if (!tx.send(message, wait)) throw new Error("shmkit: send timed out");
      const at = rx.peekWait(wait);
      if (at < 0) throw new Error("shmkit: no reply within the time-out");
      if (rx.view.getUint32(at, true) !== seq) throw new Error(`shmkit: reply out of order at ${seq}`);
      rx.release();
    };
    let seq = 0;
    for (let k = 0; k < WARM; k++) exchange(++seq);
    req.unlink();
    rep.unlink();
    const samples = [];
    for (let b = 0; b < batches; b++) {
      const start = process.hrtime.bigint();
      for (let k = 0; k < per; k++) exchange(++seq);
      samples.push(Number(process.hrtime.bigint() - start) / per);
    }
    tx.send(new Uint8Array(0), wait);
    await exited;
    process.stdout.write(`${JSON.stringify({ samples })}\n`);
  } finally {
    child?.kill();
    rep.close();
    req.close();
    for (const name of names) Segment.unlink(name, { ifExists: true });
  }
}
