import { describe, expect, test } from "bun:test";
import { openSync } from "node:fs";
import { Channel, Segment, ShmArgumentError, ShmError } from "../../src/index.ts";

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("Channel size limits", () => {
  test("a ring over 2 GiB (its slot offsets would overflow 32-bit arithmetic) is an argument error before any memory is made", () => {
    // 2 slots of 1 GiB + 64: 2 GiB + 504 bytes. Before the fix this allocated the memory, then threw a RangeError.
    const error = thrown(() => Channel.anonymous({ capacity: 2, messageSize: 2 ** 30 }));
    expect(error).toBeInstanceOf(ShmArgumentError);
    expect((error as Error).message).toContain("must fit in 2 GiB");
  });

  test("Channel.fromFd of a descriptor smaller than a channel header is ESIZE, not a RangeError", () => {
    using seg = Segment.anonymous({ size: 100 });
    // A second descriptor for the same memory: Channel.fromFd owns (and closes) the one it is given.
    const fd = openSync(`/proc/self/fd/${seg.fd}`, "r+");
    const error = thrown(() => Channel.fromFd(fd));
    expect(error).toBeInstanceOf(ShmError);
    expect((error as ShmError).code).toBe("ESIZE");
    expect((error as ShmError).message).toContain("fewer than a channel header's 376");
  });
});
