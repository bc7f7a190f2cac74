import { describe, expect, test } from "bun:test";
import { readMessage, writeMessage } from "../src/channel/message.ts";
import { runChannel, summarizeChannel } from "../src/channel/run.ts";
import { seedFromEnv } from "../src/seed.ts";

describe("channels", () => {
  test("300k checksummed messages arrive once each, in order, with the consumer SIGKILLed and restarted", async () => {
    const report = await runChannel({
      messages: 300_000,
      producers: 1,
      restarts: 3,
      seed: seedFromEnv(),
      capacity: 1024,
      killAfterMs: [5, 40],
      timeoutMs: 90_000,
    });
    console.log(summarizeChannel(report));
    expect(report.failures).toEqual([]);
    expect(report.received).toBe(300_000);
    expect([report.lost, report.duplicated, report.reordered, report.corrupt]).toEqual([0, 0, 0, 0]);
  }, 120_000);

  test("MPSC: 3 producers × 100k messages arrive once each, in each producer's order, with consumer restarts", async () => {
    const report = await runChannel({
      messages: 300_000,
      producers: 3,
      restarts: 3,
      seed: seedFromEnv(),
      capacity: 1024,
      killAfterMs: [5, 40],
      timeoutMs: 90_000,
    });
    console.log(summarizeChannel(report));
    expect(report.failures).toEqual([]);
    expect(report.received).toBe(300_000);
    expect([report.lost, report.duplicated, report.reordered, report.corrupt]).toEqual([0, 0, 0, 0]);
  }, 120_000);

  test("MPSC: the message a killed consumer held is delivered again to the next one, counted apart, not as a duplicate", async () => {
    const report = await runChannel({
      messages: 30_000,
      producers: 3,
      restarts: 0,
      seed: 1,
      capacity: 256,
      killAfterMs: [5, 5],
      timeoutMs: 60_000,
      dieHolding: 10_000,
    });
    expect(report.failures).toEqual([]);
    expect(report.redelivered).toBe(1);
    expect([report.received, report.duplicated]).toEqual([30_000, 0]);
  }, 120_000);

  test("a message the consumer never records is counted as lost", async () => {
    const report = await runChannel({
      messages: 5_000,
      producers: 1,
      restarts: 0,
      seed: 1,
      capacity: 64,
      killAfterMs: [5, 5],
      timeoutMs: 60_000,
      skipSeq: 1234,
    });
    expect(report.lost).toBe(1);
    expect(report.failures).toEqual(["1 messages lost (seed 1)"]);
  }, 120_000);

  test("a message with one flipped byte is recognised as corrupt", () => {
    const bytes = new Uint8Array(128);
    const view = new DataView(bytes.buffer);
    const length = writeMessage(view, bytes, 16, 4242);
    expect(readMessage(view, bytes, 16, length)).toBe(4242);
    for (const at of [16, 20, 24, length + 15]) {
      const copy = bytes.slice();
      copy[at] = (copy[at] ?? 0) ^ 0x10;
      expect(readMessage(new DataView(copy.buffer), copy, 16, length)).toBe(-1);
    }
  });
});
