import { describe, expect, test } from "bun:test";
import { Channel, Segment, type ShmError } from "../../src/index.ts";
import { uniqueName } from "../helpers.ts";

const W_MAX_MESSAGE = 5; // header words, as packages/core/src/channel/layout.ts lays them out
const W_HEAD = 16;

function thrown(fn: () => unknown): ShmError {
  try {
    fn();
  } catch (error) {
    return error as ShmError;
  }
  throw new Error("expected a throw");
}

// Regressions found by the reliability fuzzer (apps/reliability): corrupt headers must give typed errors.
describe("channels with corrupt headers", () => {
  test("an MPSC head behind its slots is ECORRUPT, not an endless retry (seed 13, case 708)", () => {
    const name = uniqueName("ch-head");
    using ch = Channel.create(name, { kind: "mpsc", capacity: 4, messageSize: 1 });
    expect(ch.sender().trySend(new Uint8Array(1))).toBe(true);
    using raw = Segment.open(name);
    Atomics.store(new Int32Array(raw.buffer), W_HEAD, -1);
    using again = Channel.open(name);
    const error = thrown(() => again.sender().trySend(new Uint8Array(1)));
    expect(error.code).toBe("ECORRUPT");
    expect(error.message).toContain("the channel head (-1) is behind its slot's sequence");
  });

  test.each([0, -(2 ** 31), -2])(
    "a header with max message size %p is refused with ELAYOUT (seed 14, case 1826)",
    (size) => {
      const name = uniqueName("ch-max");
      using _ch = Channel.create(name, { capacity: 4, messageSize: 8 });
      using raw = Segment.open(name);
      new Int32Array(raw.buffer)[W_MAX_MESSAGE] = size;
      const error = thrown(() => Channel.open(name));
      expect(error.code).toBe("ELAYOUT");
      expect(error.message).toContain("corrupt header");
    },
  );
});
