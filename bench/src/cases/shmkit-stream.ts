// One-way streaming of 64-byte messages through a shmkit channel. The parent consumes in place (drain) and times
// batches; --mode spsc runs one producer child, --mode mpsc two producer children on an MPSC channel.
import { Channel, Segment } from "@shmkit/core";
import { emit, MESSAGE_BYTES, parseCaseArgs, pinned } from "../lib/protocol.ts";

const args = parseCaseArgs();
const WARM = 1_000_000; // messages read before timing starts: JIT warm-up on both sides
const wait = { timeoutMs: 10_000 };

if (process.argv[2] === "child") {
  const [, , , name = "", producerText = "0", countText = "0"] = process.argv;
  using ch = Channel.open(name, { messageSize: MESSAGE_BYTES });
  const tx = ch.sender();
  const words = new Int32Array(tx.bytes.buffer);
  const producer = Number(producerText);
  const count = Number(countText);
  for (let seq = 0; seq < count; seq++) {
    // Warm-up pauses give JSC's compiler thread, which shares this core, time to optimize the loop.
    if (seq < WARM && seq % 20_000 === 19_999) Bun.sleepSync(2);
    const at = tx.reserveWait(wait);
    if (at < 0) throw new Error("stream: ring full for 10 s");
    const w = at >> 2;
    words[w] = producer;
    words[w + 1] = seq;
    for (let i = 2; i < MESSAGE_BYTES >> 2; i++) words[w + i] = seq ^ i; // fill all 64 bytes, as C does
    tx.commit(MESSAGE_BYTES);
  }
} else {
  const kind = args.mode === "mpsc" ? "mpsc" : "spsc";
  const producers = kind === "mpsc" ? 2 : 1;
  const name = `/shmkit-bench-stream-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  using ch = Channel.create(name, { kind, messageSize: MESSAGE_BYTES, capacity: 1024 });
  const total = WARM + args.batches * args.per;
  const each = Math.ceil(total / producers);
  const children: Bun.Subprocess[] = [];
  try {
    for (let p = 0; p < producers; p++) {
      // Pinned: producers on one core, the consumer (this process) on the other.
      const cmd = [
        ...pinned(args.cpuB),
        process.execPath,
        import.meta.path,
        "child",
        name,
        String(p),
        String(each),
      ];
      children.push(Bun.spawn(cmd, { stdio: ["ignore", "inherit", "inherit"] }));
    }
    const rx = ch.receiver();
    const view = rx.view;
    const next = new Array<number>(producers).fill(0);
    let bad = 0;
    const check = (at: number): void => {
      const p = view.getInt32(at, true);
      const seq = view.getInt32(at + 4, true);
      if (seq !== next[p]) bad++;
      next[p] = seq + 1;
    };
    const receive = (n: number): void => {
      for (let got = 0; got < n; ) {
        const k = rx.drain(check, n - got);
        got += k;
        if (k === 0 && rx.peekWait(wait) < 0) throw new Error("stream: no message for 10 s");
      }
    };
    for (let n = 0; n < WARM; n += 20_000) {
      receive(Math.min(20_000, WARM - n));
      Bun.sleepSync(2);
    }
    ch.unlink();
    const samples: number[] = [];
    for (let b = 0; b < args.batches; b++) {
      const start = Bun.nanoseconds();
      receive(args.per);
      samples.push((Bun.nanoseconds() - start) / args.per);
    }
    receive(each * producers - WARM - args.batches * args.per);
    for (const child of children) await child.exited;
    if (bad !== 0) throw new Error(`stream: ${bad} messages out of order`);
    emit(samples);
  } finally {
    for (const child of children) child.kill();
    Segment.unlink(name, { ifExists: true });
  }
}
