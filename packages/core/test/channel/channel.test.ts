import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { Channel, Segment, ShmArgumentError, ShmError } from "../../src/index.ts";
import { uniqueName } from "../helpers.ts";

const bytes = (...values: number[]) => new Uint8Array(values);

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("Channel", () => {
  test("open() waits while the segment is still empty (its creator between shm_open and ftruncate)", async () => {
    const name = uniqueName("ch-empty");
    writeFileSync(`/dev/shm${name}`, "");
    const core = `${import.meta.dir}/../../src/index.ts`;
    const layout = `${import.meta.dir}/../../src/channel/layout.ts`;
    // The creator, in another process: after a while the empty name gets its bytes (a channel's, made elsewhere)
    // with the ready word still 0, and then, in a write of its own, ready = 1.
    const script = `
      const { closeSync, openSync, readFileSync, writeFileSync, writeSync } = await import("node:fs");
      const { Channel, Segment } = await import(${JSON.stringify(core)});
      const { W_READY } = await import(${JSON.stringify(layout)});
      const model = ${JSON.stringify(`${name}-model`)};
      Channel.create(model, { messageSize: 16, capacity: 4 }).close();
      const bytes = readFileSync("/dev/shm" + model);
      Segment.unlink(model);
      await Bun.sleep(200);
      const ready = new Uint8Array(bytes.subarray(W_READY * 4, W_READY * 4 + 4)); // a copy, not a view
      bytes.fill(0, W_READY * 4, W_READY * 4 + 4);
      writeFileSync("/dev/shm${name}", bytes);
      const fd = openSync("/dev/shm${name}", "r+");
      writeSync(fd, ready, 0, 4, W_READY * 4);
      closeSync(fd);`;
    const creator = Bun.spawn([process.execPath, "-e", script], {
      stdout: "ignore",
      stderr: "inherit",
      timeout: 30_000,
    });
    try {
      // Blocks this thread while it waits; the creator is another process.
      using ch = Channel.open(name, { readyTimeoutMs: 20_000 });
      expect(ch.messageSize).toBe(16);
    } finally {
      await creator.exited;
    }
    expect(creator.exitCode).toBe(0);
  }, 60_000);

  test("trySend fills exactly `capacity` slots, then reports full; tryRecv drains them in order", () => {
    using ch = Channel.create(uniqueName("ch"), { messageSize: 16, capacity: 4 });
    const tx = ch.sender();
    const rx = ch.receiver();
    for (let i = 0; i < 4; i++) expect(tx.trySend(bytes(i, i + 1))).toBe(true);
    expect(tx.trySend(bytes(9))).toBe(false);
    expect(rx.pending).toBe(4);
    for (let i = 0; i < 4; i++) expect(rx.tryRecv()).toEqual(bytes(i, i + 1));
    expect(rx.tryRecv()).toBeUndefined();
    expect(tx.trySend(bytes(7))).toBe(true); // space came back
    expect(rx.tryRecv()).toEqual(bytes(7));
  });

  test("messages keep their own length, from empty to messageSize, over many laps of the ring", () => {
    for (const kind of ["spsc", "mpsc"] as const) {
      using ch = Channel.create(uniqueName("ch-len"), { kind, messageSize: 13, capacity: 2 });
      const tx = ch.sender();
      const rx = ch.receiver();
      for (let i = 0; i < 1000; i++) {
        const message = new Uint8Array(i % 14).fill(i & 0xff);
        expect(tx.trySend(message)).toBe(true);
        expect(rx.tryRecv()).toEqual(message);
      }
    }
  });

  test("reserve → write in place → commit, and peek → read in place → release, copy nothing", () => {
    using ch = Channel.create(uniqueName("ch-zc"), { messageSize: 16, capacity: 8 });
    const tx = ch.sender();
    const rx = ch.receiver();
    const at = tx.reserve();
    expect(at).toBeGreaterThan(0);
    tx.view.setFloat64(at, 101.25, true);
    tx.view.setUint32(at + 8, 7, true);
    expect(rx.peek()).toBe(-1); // not visible before commit
    tx.commit(12);
    const got = rx.peek();
    expect(got).toBe(at); // same memory: the receiver reads where the sender wrote
    expect(rx.length).toBe(12);
    expect(rx.view.getFloat64(got, true)).toBe(101.25);
    expect(rx.peek()).toBe(got); // still there until released
    rx.release();
    expect(rx.peek()).toBe(-1);
  });

  test("drain reads a batch in place and sendBatch sends as many as fit", () => {
    using ch = Channel.create(uniqueName("ch-batch"), { messageSize: 4, capacity: 4 });
    const tx = ch.sender();
    const rx = ch.receiver();
    expect(tx.sendBatch([bytes(1), bytes(2), bytes(3), bytes(4), bytes(5)])).toBe(4);
    const seen: number[] = [];
    expect(rx.drain((at) => seen.push(rx.bytes[at] ?? -1), 3)).toBe(3);
    expect(seen).toEqual([1, 2, 3]);
    expect(rx.drain((at) => seen.push(rx.bytes[at] ?? -1))).toBe(1);
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  test("recv on an empty channel returns undefined after its time-out, also when spinning only", () => {
    using ch = Channel.create(uniqueName("ch-timeout"), { messageSize: 8, capacity: 2 });
    const rx = ch.receiver();
    for (const spinNs of [0, 100_000, Number.POSITIVE_INFINITY]) {
      const start = performance.now();
      expect(rx.recv({ timeoutMs: 30, spinNs })).toBeUndefined();
      const elapsed = performance.now() - start;
      expect(elapsed).toBeGreaterThanOrEqual(29);
      expect(elapsed).toBeLessThan(10_000); // it did give up
    }
    expect(rx.recv({ timeoutMs: 0 })).toBeUndefined();
  });

  test("send on a full channel returns false after its time-out", () => {
    using ch = Channel.create(uniqueName("ch-full"), { kind: "mpsc", messageSize: 8, capacity: 2 });
    const tx = ch.sender();
    expect(tx.send(bytes(1), { timeoutMs: 10 })).toBe(true);
    expect(tx.send(bytes(2), { timeoutMs: 10 })).toBe(true);
    const start = performance.now();
    expect(tx.send(bytes(3), { timeoutMs: 30 })).toBe(false);
    expect(performance.now() - start).toBeGreaterThanOrEqual(29);
  });

  test("after close(), recv returns what is left, then undefined at once", () => {
    using ch = Channel.create(uniqueName("ch-close"), { messageSize: 8, capacity: 4 });
    const tx = ch.sender();
    const rx = ch.receiver();
    tx.trySend(bytes(5));
    tx.close();
    expect(rx.closed).toBe(true);
    expect(rx.recv({ timeoutMs: 10_000 })).toEqual(bytes(5));
    const start = performance.now();
    expect(rx.recv({ timeoutMs: 10_000, spinNs: 0 })).toBeUndefined();
    expect(performance.now() - start).toBeLessThan(5_000);
  });

  test("open checks the header: kind, message size and fingerprint mismatches are ELAYOUT errors naming both", () => {
    const name = uniqueName("ch-fp");
    using _ch = Channel.create(name, { messageSize: 32, fingerprint: "Order@x86_64-linux-gnu#1" });
    using ok = Channel.open(name, { messageSize: 32, kind: "spsc", fingerprint: "Order@x86_64-linux-gnu#1" });
    expect(ok.messageSize).toBe(32);
    const fp = thrown(() => Channel.open(name, { fingerprint: "Order@aarch64-linux-gnu#1" }));
    expect(fp).toBeInstanceOf(ShmError);
    expect((fp as ShmError).code).toBe("ELAYOUT");
    expect((fp as ShmError).message).toMatch(
      /^Channel\.open\(\/shmkit-test-.*\): ELAYOUT \(layout fingerprint [0-9a-f]{8} in the segment, [0-9a-f]{8} expected/,
    );
    expect(String(thrown(() => Channel.open(name, { kind: "mpsc" })))).toContain(
      "the channel is spsc, this side was built for mpsc",
    );
    expect(String(thrown(() => Channel.open(name, { messageSize: 64 })))).toContain(
      "messages of up to 32 bytes",
    );
  });

  test("open of a segment that is not a channel fails with ELAYOUT, and of one never made ready with ENOTREADY", () => {
    const plain = uniqueName("ch-plain");
    using seg = Segment.create(plain, { size: 4096 });
    expect((thrown(() => Channel.open(plain, { readyTimeoutMs: 20 })) as ShmError).code).toBe("ENOTREADY");
    new Int32Array(seg.buffer)[7] = 1; // ready, but no magic
    const error = thrown(() => Channel.open(plain)) as ShmError;
    expect(error.code).toBe("ELAYOUT");
    expect(error.message).toContain("not a shmkit channel");
  });

  test("bad arguments are ShmArgumentErrors before anything is created", () => {
    const name = uniqueName("ch-args");
    expect(thrown(() => Channel.create(name, { messageSize: 8, capacity: 3 }))).toBeInstanceOf(
      ShmArgumentError,
    );
    expect(thrown(() => Channel.create(name, { messageSize: 0 }))).toBeInstanceOf(ShmArgumentError);
    expect(thrown(() => Channel.create(name, { messageSize: 8, kind: "mpmc" as "spsc" }))).toBeInstanceOf(
      ShmArgumentError,
    );
    expect(Segment.exists(name)).toBe(false);
    using ch = Channel.create(name, { messageSize: 4, capacity: 2 });
    const tx = ch.sender();
    expect(thrown(() => tx.trySend(new Uint8Array(5)))).toBeInstanceOf(ShmArgumentError);
    expect((thrown(() => tx.commit(1)) as ShmError).code).toBe("ENORESERVE");
    expect((thrown(() => ch.receiver().release()) as ShmError).code).toBe("ENOPEEK");
    tx.reserve();
    expect((thrown(() => tx.reserve()) as ShmError).code).toBe("EBUSY");
    expect(thrown(() => tx.commit(5))).toBeInstanceOf(ShmArgumentError);
    expect(thrown(() => ch.receiver().recv({ timeoutMs: -1 }))).toBeInstanceOf(ShmArgumentError);
  });

  test("a receiver attached later resumes at the shared tail, not at the start", () => {
    using ch = Channel.create(uniqueName("ch-resume"), { messageSize: 4, capacity: 8 });
    const tx = ch.sender();
    for (let i = 0; i < 5; i++) tx.trySend(bytes(i));
    const first = ch.receiver();
    expect(first.tryRecv()).toEqual(bytes(0));
    expect(first.tryRecv()).toEqual(bytes(1));
    expect(first.peek()).toBeGreaterThan(0); // holds message 2 without releasing it
    const second = ch.receiver();
    expect(second.tryRecv()).toEqual(bytes(2)); // delivered again: it was never released
    expect(second.tryRecv()).toEqual(bytes(3));
  });

  test("an SPSC producer restarted after dying before it recorded head does not overwrite a published message", () => {
    const name = uniqueName("ch-prod-restart");
    using ch = Channel.create(name, { messageSize: 4, capacity: 8 });
    const first = ch.sender();
    first.trySend(bytes(1));
    first.trySend(bytes(2));
    // Simulate the crash window: message 2 is published, but head (offset 64) still says 1.
    new Int32Array(ch.segment.buffer)[64 / 4] = 1;
    const second = ch.sender();
    second.trySend(bytes(3));
    const rx = ch.receiver();
    expect([rx.tryRecv(), rx.tryRecv(), rx.tryRecv(), rx.tryRecv()]).toEqual([
      bytes(1),
      bytes(2),
      bytes(3),
      undefined,
    ]);
  });

  test("a channel `of` a generated struct takes its size and fingerprint; a reader of another layout is refused", () => {
    const name = uniqueName("ch-of");
    // What layout-gen generates as statics on each struct class.
    const Quote = { SIZE: 16, FINGERPRINT: "f793ff26c8c439dad27f9265cbca2b65" };
    const QuoteArm = { SIZE: 16, FINGERPRINT: "0b1cd2a8e3f6a04a3f1d4d2e9f0c7b11" };
    using ch = Channel.create(name, { of: Quote, capacity: 4 });
    expect(ch.messageSize).toBe(16);
    using same = Channel.open(name, { of: Quote });
    expect(same.messageSize).toBe(16);
    const error = thrown(() => Channel.open(name, { of: QuoteArm })) as ShmError;
    expect(error.code).toBe("ELAYOUT");
    expect(error.message).toContain("layout fingerprint");
    expect(thrown(() => Channel.create(uniqueName("ch-of-bad"), { of: 5 as never }))).toBeInstanceOf(
      ShmArgumentError,
    );
  });
});
