// Round trips of a 64-byte message over two shmkit SPSC channels (request, reply): the child echoes in place
// (peek → reserve → copy → commit → release). --mode spin | hybrid | blocking sets how both sides wait.
import { Channel, type ChannelWaitOptions, Segment } from "@shmkit/core";
import { emit, MESSAGE_BYTES, parseCaseArgs, pinned } from "../lib/protocol.ts";

const WAITS: Record<string, ChannelWaitOptions> = {
  spin: { spinNs: Number.POSITIVE_INFINITY },
  hybrid: {},
  blocking: { spinNs: 0 },
};
const args = parseCaseArgs();
/** Round trips before timing starts. */
const WARM = args.mode === "blocking" ? 2_000 : 300_000; // fewer than ~300 000 left JSC's code visibly colder
const wait = { ...(WAITS[args.mode] ?? {}), timeoutMs: 10_000 };

if (process.argv[2] === "child") {
  const [, , , reqName = "", repName = ""] = process.argv;
  using req = Channel.open(reqName, { messageSize: MESSAGE_BYTES });
  using rep = Channel.open(repName, { messageSize: MESSAGE_BYTES });
  const rx = req.receiver();
  const tx = rep.sender();
  // Copy the 64 bytes as 16 words: no view allocated per message (subarray would make garbage for the GC).
  const from = new Int32Array(rx.bytes.buffer);
  const to32 = new Int32Array(tx.bytes.buffer);
  for (let n = 1; ; n++) {
    // During warm-up, pause now and then: JSC compiles hot code on a helper thread, which shares this process's
    // core and would otherwise wait for the spinning main thread to be preempted.
    if (n <= WARM && n % 10_000 === 0) Bun.sleepSync(2);
    const at = rx.peekWait(wait);
    if (at < 0) break; // closed, or the parent is gone
    const length = rx.length;
    const to = tx.reserveWait(wait);
    if (to < 0) break;
    for (let i = 0, src = at >> 2, dst = to >> 2; i < length >> 2; i++) to32[dst + i] = from[src + i] ?? 0;
    tx.commit(length);
    rx.release();
    if (length === 0) break; // the parent's goodbye
  }
} else {
  const tag = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const names = [`/shmkit-bench-req-${tag}`, `/shmkit-bench-rep-${tag}`] as const;
  using req = Channel.create(names[0], { messageSize: MESSAGE_BYTES, capacity: 64 });
  using rep = Channel.create(names[1], { messageSize: MESSAGE_BYTES, capacity: 64 });
  let child: Bun.Subprocess | undefined;
  try {
    child = Bun.spawn(
      [...pinned(args.cpuB), process.execPath, import.meta.path, "child", ...names, ...process.argv.slice(2)],
      {
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
    const tx = req.sender();
    const rx = rep.receiver();
    const message = new Uint8Array(MESSAGE_BYTES).fill(0x5a);
    const view = new DataView(message.buffer);
    const exchange = (seq: number): void => {
      view.setUint32(0, seq, true);
      if (!tx.send(message, wait)) throw new Error("shmkit: send timed out");
      const at = rx.peekWait(wait);
      if (at < 0) throw new Error("shmkit: no reply within the time-out");
      if (rx.view.getUint32(at, true) !== seq) throw new Error(`shmkit: reply out of order at ${seq}`);
      rx.release();
    };
    exchange(0); // the child has attached once this returns
    // JIT warm-up: JSC compiles the hot loops to optimized code after some thousands of turns, on a helper
    // thread that the pauses give CPU time to (see the child). C needs none; a long-lived service runs warm, so
    // the warm figure is the one to compare.
    let seq = 0;
    for (let k = 1; k < WARM; k++) {
      exchange(++seq);
      if (k % 10_000 === 0) Bun.sleepSync(2);
    }
    req.unlink(); // both ends are attached: the names can go, so nothing is left behind even on a crash
    rep.unlink();
    const samples: number[] = [];
    for (let b = 0; b < args.batches; b++) {
      const start = Bun.nanoseconds();
      for (let k = 0; k < args.per; k++) exchange(++seq);
      samples.push((Bun.nanoseconds() - start) / args.per);
    }
    tx.send(new Uint8Array(0), wait);
    await child.exited;
    emit(samples);
  } finally {
    child?.kill();
    for (const name of names) Segment.unlink(name, { ifExists: true });
  }
}
