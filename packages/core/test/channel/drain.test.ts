import { describe, expect, test } from "bun:test";
import { Channel, type Receiver, Segment } from "../../src/index.ts";
import { run, uniqueName } from "../helpers.ts";

const DRAIN_DIE = `${import.meta.dir}/fixtures/drain-die.ts`;

function sendAll(ch: Channel, count: number): void {
  const tx = ch.sender();
  for (let i = 0; i < count; i++) expect(tx.trySend(new Uint8Array([i]))).toBe(true);
}

/** Every message still to come, as first bytes, reading with tryRecv until it says empty. */
function receiveRest(rx: Receiver): number[] {
  const got: number[] = [];
  for (let message = rx.tryRecv(); message; message = rx.tryRecv()) got.push(message[0] as number);
  return got;
}

describe("Receiver.drain", () => {
  for (const kind of ["spsc", "mpsc"] as const) {
    test(`${kind}: a read callback that throws leaves that message and the rest to be received`, () => {
      using ch = Channel.create(uniqueName("ch-drain-throw"), { kind, messageSize: 8, capacity: 8 });
      sendAll(ch, 5);
      const rx = ch.receiver();
      const seen: number[] = [];
      expect(() =>
        rx.drain((at) => {
          const first = rx.bytes[at] as number;
          if (first === 2) throw new Error("handler failed");
          seen.push(first);
        }),
      ).toThrow("handler failed");
      expect(seen).toEqual([0, 1]);
      // At-least-once: what drain had not released is delivered again; nothing is lost or stuck.
      const rest = receiveRest(rx);
      expect(rest.slice(-3)).toEqual([2, 3, 4]);
      expect(rest.length).toBeLessThanOrEqual(5);
    });

    test(`${kind}: a consumer killed inside drain leaves a restarted one every unreleased message`, async () => {
      const name = uniqueName("ch-drain-kill");
      using ch = Channel.create(name, { kind, messageSize: 8, capacity: 8 });
      sendAll(ch, 6);
      const child = await run([process.execPath, DRAIN_DIE, name, "3"], { timeoutMs: 30_000 });
      expect(child.stderr).toBe("");
      expect(child.signalCode).toBe("SIGKILL");
      const rx = ch.receiver();
      const rest = receiveRest(rx);
      expect(rest.slice(-3)).toEqual([3, 4, 5]);
      expect(rest.length).toBeLessThanOrEqual(6);
      // The ring still works afterwards: producers get every slot back.
      sendAll(ch, 8);
      expect(receiveRest(rx)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }, 60_000);
  }

  test("mpsc: a consumer that died after moving tail past a batch but before freeing its slots is repaired on attach", () => {
    const name = uniqueName("ch-drain-repair");
    using ch = Channel.create(name, { kind: "mpsc", messageSize: 8, capacity: 4 });
    sendAll(ch, 3);
    // The state #releaseTo leaves if the process dies between its store of tail and its stores of the slots.
    using raw = Segment.open(name);
    Atomics.store(new Int32Array(raw.buffer), 128 / 4, 3); // W_TAIL (channel/layout.ts)
    const rx = ch.receiver();
    const tx = ch.sender();
    for (let i = 0; i < 4; i++) expect(tx.trySend(new Uint8Array([10 + i]))).toBe(true);
    expect(tx.trySend(new Uint8Array([99]))).toBe(false);
    expect(receiveRest(rx)).toEqual([10, 11, 12, 13]);
  });
});
