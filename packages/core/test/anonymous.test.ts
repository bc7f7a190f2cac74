import { describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { Segment } from "../src/index.ts";
import { FIXTURES } from "./helpers.ts";

describe("Segment.anonymous", () => {
  test("is shared with a child through its fd and leaves nothing in /dev/shm", async () => {
    const before = readdirSync("/dev/shm").sort();
    using seg = Segment.anonymous({ size: 4096, label: "parent-to-child" });
    expect(seg.anonymous).toBe(true);
    expect(seg.name).toBe("memfd:parent-to-child");
    seg.bytes.set(new TextEncoder().encode("from the parent\0"));

    const child = Bun.spawn([process.execPath, `${FIXTURES}/segment-child.ts`, "from-fd", "-"], {
      stdio: ["ignore", "pipe", "pipe", seg.fd],
      timeout: 15_000,
      killSignal: "SIGKILL",
    });
    const stdout = await new Response(child.stdout).text();
    expect(await child.exited).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ size: 4096, text: "from the parent", anonymous: true });
    expect(new TextDecoder().decode(seg.bytes.subarray(64, 78))).toBe("child was here");
    expect(readdirSync("/dev/shm").sort()).toEqual(before);
    seg.unlink(); // no name: nothing to do, and no error
  });

  test("refuses a bad size or label", () => {
    expect(() => Segment.anonymous({ size: 0 })).toThrow("size: must be an integer");
    expect(() => Segment.anonymous({ size: 8, label: "" })).toThrow("label: must be 1 to 249 bytes");
  });

  test("fromFd refuses a bad descriptor with EBADF and an empty file with ESIZE", () => {
    expect(() => Segment.fromFd(-1)).toThrow("fd: must be a non-negative integer");
    expect(() => Segment.fromFd(987654)).toThrow("fstat(fd 987654): EBADF (Bad file descriptor)");
  });
});
