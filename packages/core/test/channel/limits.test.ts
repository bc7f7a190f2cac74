import { describe, expect, test } from "bun:test";
import { openSync } from "node:fs";
import { Channel, Segment, ShmArgumentError, ShmError } from "../../src/index.ts";
import { run, uniqueName } from "../helpers.ts";

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

  test.each([Number.NaN, "1000"])(
    "Channel.open with readyTimeoutMs %p is an argument error, not an endless wait on a channel never made ready",
    async (readyTimeoutMs) => {
      const name = uniqueName("ch-ready-arg");
      using _seg = Segment.create(name, { size: 4096 }); // zero-filled: never marked ready
      // In a child: before the fix this loop never ended, and a synchronous loop cannot be stopped from a test.
      const script = `
        import { Channel } from ${JSON.stringify(`${import.meta.dir}/../../src/index.ts`)};
        try { Channel.open(${JSON.stringify(name)}, { readyTimeoutMs: ${typeof readyTimeoutMs === "string" ? JSON.stringify(readyTimeoutMs) : String(readyTimeoutMs)} }); console.log("opened"); }
        catch (e) { console.log(e.name, e.message); }`;
      const child = await run([process.execPath, "-e", script], { timeoutMs: 10_000 });
      expect(child.signalCode).toBeNull();
      expect(child.stdout).toStartWith("ShmArgumentError readyTimeoutMs: must be a number of milliseconds");
    },
    30_000,
  );
});
