import { describe, expect, test } from "bun:test";
import { closeSync, openSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { Segment } from "../src/index.ts";
import { FIXTURES } from "./helpers.ts";

describe("Segment.anonymous", () => {
  test("is shared with a child through its fd and leaves nothing in /dev/shm", async () => {
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
    // Its memory is a memfd, not a file in /dev/shm. (Comparing /dev/shm listings before and after would fail
    // whenever another test run creates a segment meanwhile.)
    expect(readlinkSync(`/proc/self/fd/${seg.fd}`)).toBe("/memfd:parent-to-child (deleted)");
    expect(readdirSync("/dev/shm").filter((entry) => entry.includes("parent-to-child"))).toEqual([]);
    seg.unlink(); // no name: nothing to do, and no error
  });

  test("refuses a bad size or label", () => {
    expect(() => Segment.anonymous({ size: 0 })).toThrow("size: must be an integer");
    expect(() => Segment.anonymous({ size: 8, label: "" })).toThrow("label: must be 1 to 249 bytes");
  });

  test("fromFd refuses a bad descriptor with EBADF and an empty file with ESIZE", () => {
    expect(() => Segment.fromFd(-1)).toThrow("fd: must be a non-negative integer");
    expect(() => Segment.fromFd(987654)).toThrow("fstat(fd 987654): EBADF (Bad file descriptor)");
    const path = `/tmp/shmkit-test-empty-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
    const fd = openSync(path, "w+");
    try {
      expect(() => Segment.fromFd(fd)).toThrow(
        `Segment.fromFd(fd ${fd}): ESIZE (the file is empty; nothing to map)`,
      );
    } finally {
      closeSync(fd);
      rmSync(path, { force: true });
    }
  });
});
