// Channels between real processes: every message carries (producer, seq) and bytes derived from them, and the
// consumer checks each one, so loss, duplication, reordering and torn messages all fail these tests.
import { describe, expect, test } from "bun:test";
import { Channel, Segment, ShmError } from "../../src/index.ts";
import { run, uniqueName } from "../helpers.ts";
import { readMessage } from "./fixtures/message.ts";

const PEER = `${import.meta.dir}/fixtures/peer.ts`;
const peer = (args: string[], timeoutMs = 60_000) => run([process.execPath, PEER, ...args], { timeoutMs });
const spawnPeer = (args: string[]) =>
  Bun.spawn([process.execPath, PEER, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: 60_000,
    killSignal: "SIGKILL",
  });

describe("Channel across processes", () => {
  test("SPSC: 1,000,000 messages arrive once each, in order, intact", async () => {
    const name = uniqueName("ch-spsc");
    using ch = Channel.create(name, { messageSize: 64, capacity: 1024 });
    const [producer, consumer] = await Promise.all([
      peer(["produce", name, "0", "1000000"]),
      peer(["consume", name, "1", "1000000"]),
    ]);
    expect(producer.stderr).toBe("");
    expect(producer.exitCode).toBe(0);
    expect(consumer.stderr).toBe("");
    expect(consumer.exitCode).toBe(0);
    expect(JSON.parse(consumer.stdout)).toEqual({ received: 1_000_000, next: [1_000_000] });
    expect(ch.capacity).toBe(1024);
  }, 120_000);

  test("MPSC: 4 producers × 250,000 messages, each producer's messages in order, none lost or doubled", async () => {
    const name = uniqueName("ch-mpsc");
    using ch = Channel.create(name, { kind: "mpsc", messageSize: 64, capacity: 256 });
    const producers = [0, 1, 2, 3].map((id) => peer(["produce", name, String(id), "250000"]));
    const [consumer, ...done] = await Promise.all([peer(["consume", name, "4", "250000"]), ...producers]);
    for (const p of done) {
      expect(p.stderr).toBe("");
      expect(p.exitCode).toBe(0);
    }
    expect(consumer.stderr).toBe("");
    expect(consumer.exitCode).toBe(0);
    expect(JSON.parse(consumer.stdout)).toEqual({
      received: 1_000_000,
      next: [250000, 250000, 250000, 250000],
    });
    expect(ch.kind).toBe("mpsc");
  }, 120_000);

  for (const kind of ["spsc", "mpsc"] as const) {
    test(`${kind}: with no spinning, both sides sleep and wake each other 20,000 times without a lost wake-up`, async () => {
      const name = uniqueName(`ch-sleepy-${kind}`);
      using ch = Channel.create(name, { kind, messageSize: 64, capacity: 4 });
      // A lost wake-up leaves a side asleep until its 10 s time-out, which fails the peer.
      const env = { SHMKIT_TEST_SPIN_NS: "0" };
      const [producer, consumer] = await Promise.all([
        run([process.execPath, PEER, "produce", name, "0", "20000"], { timeoutMs: 60_000, env }),
        run([process.execPath, PEER, "consume", name, "1", "20000"], { timeoutMs: 60_000, env }),
      ]);
      expect(producer.stderr).toBe("");
      expect(producer.exitCode).toBe(0);
      expect(consumer.stderr).toBe("");
      expect(JSON.parse(consumer.stdout)).toEqual({ received: 20_000, next: [20_000] });
      // Each wake-up bumps an epoch word (data: offset 192, space: offset 256): they really did sleep.
      const words = new Int32Array(ch.segment.buffer);
      const wakes = (words[192 / 4] ?? 0) + (words[256 / 4] ?? 0);
      expect(wakes).toBeGreaterThan(100);
    }, 120_000);

    test(`${kind}: a consumer reading in drain() batches gets every message once, in order, from producers that sleep when the ring is full`, async () => {
      const name = uniqueName(`ch-drain-${kind}`);
      const producers = kind === "mpsc" ? 3 : 1;
      using ch = Channel.create(name, { kind, messageSize: 64, capacity: 16 });
      // No spinning: a producer facing a full ring sleeps, and only drain's batch release can wake it.
      const env = { SHMKIT_TEST_SPIN_NS: "0" };
      const runs = Array.from({ length: producers }, (_, id) =>
        run([process.execPath, PEER, "produce", name, String(id), "30000"], { timeoutMs: 90_000, env }),
      );
      const [consumer, ...done] = await Promise.all([
        run([process.execPath, PEER, "consume-drain", name, String(producers), "30000"], {
          timeoutMs: 90_000,
          env,
        }),
        ...runs,
      ]);
      for (const p of done) {
        expect(p.stderr).toBe("");
        expect(p.exitCode).toBe(0);
      }
      expect(consumer.stderr).toBe("");
      expect(JSON.parse(consumer.stdout)).toEqual({
        received: producers * 30_000,
        next: new Array(producers).fill(30_000),
      });
      expect(ch.kind).toBe(kind);
    }, 120_000);

    test(`${kind}: a consumer killed mid-stream is replaced and the new one resumes with nothing lost`, async () => {
      const name = uniqueName(`ch-restart-${kind}`);
      const recordName = uniqueName("ch-record");
      const total = 300_000;
      using ch = Channel.create(name, { kind, messageSize: 64, capacity: 64 });
      using record = Segment.create(recordName, { size: 64 });
      const words = new Int32Array(record.buffer, 0, 2);
      Atomics.store(words, 0, -1);
      const producer = spawnPeer(["produce", name, "0", String(total)]);
      const first = spawnPeer(["consume-record", name, recordName]);
      // Let the first consumer get well into the stream, then kill it wherever it happens to be.
      const deadline = Date.now() + 30_000;
      while (Atomics.load(words, 0) < 20_000 && Date.now() < deadline) await Bun.sleep(1);
      first.kill("SIGKILL");
      await first.exited;
      const last = Atomics.load(words, 0);
      expect(last).toBeGreaterThanOrEqual(20_000);
      expect(Atomics.load(words, 1)).toBe(0); // the first consumer saw 0..last with no gap or repeat

      // This process is the restarted consumer.
      const rx = ch.receiver();
      const seen: number[] = [];
      for (;;) {
        const at = rx.peekWait({ timeoutMs: 10_000 });
        expect(at).toBeGreaterThanOrEqual(0);
        const [, seq] = readMessage(rx.view, rx.bytes, at, rx.length);
        seen.push(seq);
        rx.release();
        if (seq === total - 1) break;
      }
      await producer.exited;
      expect(producer.exitCode).toBe(0);
      // The first consumer released up to `last`, or `last + 1` if it died before recording it.
      const start = seen[0] ?? -1;
      expect([last + 1, last + 2]).toContain(start);
      expect(seen.length).toBe(total - start);
      expect(seen.every((seq, i) => seq === start + i)).toBe(true);
      expect(rx.peek()).toBe(-1);
    }, 120_000);
  }

  test("for await receives every message while the event loop keeps running, and ends on close()", async () => {
    const name = uniqueName("ch-async");
    using ch = Channel.create(name, { messageSize: 64, capacity: 16 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      // The producer waits 200 ms before its first message: a blocked event loop would miss every tick.
      const producer = peer(["produce-close", name, "5000", "200"]);
      let next = 0;
      let ticksAtFirst = -1;
      for await (const message of ch.receiver()) {
        if (ticksAtFirst < 0) ticksAtFirst = ticks;
        const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
        const [, seq] = readMessage(view, message, 0, message.byteLength);
        expect(seq).toBe(next++);
      }
      expect(next).toBe(5000);
      const done = await producer;
      expect(done.stderr).toBe("");
      expect(done.exitCode).toBe(0);
      // Timers ran while the iterator waited for the first message: it did not block the event loop.
      expect(ticksAtFirst).toBeGreaterThan(0);
    } finally {
      clearInterval(timer);
    }
  }, 60_000);

  test("a second live process cannot take the receiver (EBUSY naming it); once that process is gone, it can", async () => {
    const name = uniqueName("ch-claim");
    using ch = Channel.create(name, { messageSize: 8, capacity: 4 });
    const holder = Bun.spawn([process.execPath, PEER, "hold", name], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
      timeout: 30_000,
      killSignal: "SIGKILL",
    });
    try {
      const reader = holder.stdout.getReader();
      const { value } = await reader.read();
      expect(new TextDecoder().decode(value)).toBe("held\n");
      let error: unknown;
      try {
        ch.receiver();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ShmError);
      expect((error as ShmError).code).toBe("EBUSY");
      expect((error as ShmError).message).toContain(`process ${holder.pid} holds the channel's receiver`);
      holder.stdin.end();
      await holder.exited;
      expect(holder.exitCode).toBe(0);
      const rx = ch.receiver(); // its holder is gone: taken over
      expect(rx.peek()).toBe(-1);
    } finally {
      holder.kill();
    }
  }, 60_000);
});
