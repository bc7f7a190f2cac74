import { describe, expect, test } from "bun:test";
import { Channel, ShmError } from "../../src/index.ts";
import { uniqueName } from "../helpers.ts";

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return error instanceof ShmError ? error.code : `${(error as Error).name}: ${(error as Error).message}`;
  }
  return "no error";
}

describe("a channel closed in this process", () => {
  for (const kind of ["spsc", "mpsc"] as const) {
    test(`${kind}: every sender and receiver call is ShmError ECLOSED, not a TypeError or a stale EBUSY`, () => {
      const ch = Channel.create(uniqueName("ch-closed"), { kind, messageSize: 8, capacity: 4 });
      const tx = ch.sender();
      const rx = ch.receiver();
      expect(tx.trySend(new Uint8Array([1]))).toBe(true);
      ch.close();
      const one = new Uint8Array([2]);
      expect(codeOf(() => tx.trySend(one))).toBe("ECLOSED");
      // A failed trySend must not leave a reservation behind that a later call reports as EBUSY.
      expect(codeOf(() => tx.send(one, { timeoutMs: 10 }))).toBe("ECLOSED");
      expect(codeOf(() => tx.reserve())).toBe("ECLOSED");
      expect(codeOf(() => tx.commit(1))).toBe("ECLOSED");
      expect(codeOf(() => tx.close())).toBe("ECLOSED");
      expect(codeOf(() => rx.peek())).toBe("ECLOSED");
      expect(codeOf(() => rx.tryRecv())).toBe("ECLOSED");
      expect(codeOf(() => rx.recv({ timeoutMs: 10 }))).toBe("ECLOSED");
      expect(codeOf(() => rx.release())).toBe("ECLOSED");
      expect(codeOf(() => rx.drain(() => {}))).toBe("ECLOSED");
      expect(codeOf(() => rx.closed)).toBe("ECLOSED");
      expect(codeOf(() => rx.pending)).toBe("ECLOSED");
    });
  }

  test("for await over a receiver whose channel is closed while it waits ends with ECLOSED", async () => {
    const ch = Channel.create(uniqueName("ch-closed-iter"), { messageSize: 8, capacity: 4 });
    const rx = ch.receiver();
    const timer = setTimeout(() => ch.close(), 50);
    let code = "no error";
    try {
      for await (const _ of rx) code = "got a message";
    } catch (error) {
      code = error instanceof ShmError ? error.code : `${(error as Error).name}: ${(error as Error).message}`;
    } finally {
      clearTimeout(timer);
    }
    expect(code).toBe("ECLOSED");
  }, 30_000);
});
