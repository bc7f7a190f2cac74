import { describe, expect, test } from "bun:test";
import { Segment } from "../src/index.ts";
import { canRunAsNobody, runAsNobody, runFixture, uniqueName } from "./helpers.ts";

describe("segments across processes", () => {
  test("a segment created here is read by another process, and its writes are seen here", async () => {
    const name = uniqueName();
    using seg = Segment.create(name, { size: 4096 });
    seg.bytes.set(new TextEncoder().encode("hello from the parent\0"));

    const read = await runFixture("segment-child.ts", ["read", name]);
    expect(read.exitCode).toBe(0);
    expect(JSON.parse(read.stdout)).toEqual({ size: 4096, text: "hello from the parent" });

    const write = await runFixture("segment-child.ts", ["write", name, "hello from the child"]);
    expect(write.exitCode).toBe(0);
    expect(new TextDecoder().decode(seg.bytes.subarray(0, 20))).toBe("hello from the child");
  });

  test("a segment created by another process is opened here with the size it chose", async () => {
    const name = uniqueName();
    const made = await runFixture("segment-child.ts", ["create", name, "10000", "640"]);
    expect(made.exitCode).toBe(0);
    using seg = Segment.open(name);
    expect(seg.size).toBe(10000);
    expect(seg.stat().mode).toBe(0o640);
  });

  test("a write through a read-only segment in another process neither kills it nor reaches this one", async () => {
    const name = uniqueName();
    using seg = Segment.create(name, { size: 4096 });
    seg.bytes.fill(0x41, 0, 16);
    const child = await runFixture("segment-child.ts", ["write-readonly", name]);
    expect(child.signalCode).toBeNull();
    expect(child.exitCode).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual({ local: 0x58 });
    expect([...seg.bytes.subarray(0, 16)]).toEqual(new Array(16).fill(0x41));
  });

  test("Atomics.add from 4 processes at once gives an exact total", async () => {
    const name = uniqueName();
    using seg = Segment.create(name, { size: 64 });
    const perChild = 200_000;
    const children = await Promise.all(
      [1, 2, 3, 4].map(() =>
        runFixture("segment-child.ts", ["add", name, String(perChild)], { timeoutMs: 60_000 }),
      ),
    );
    for (const child of children) expect(child.exitCode).toBe(0);
    expect(Atomics.load(new Int32Array(seg.buffer), 0)).toBe(4 * perChild);
  }, 90_000);

  test("trustOwner refuses a segment pre-created by another user", async () => {
    if (!canRunAsNobody()) {
      console.warn("skipped: needs root and setpriv to create a segment as another user (CI runs as root)");
      return;
    }
    const name = uniqueName();
    const squatter = await runAsNobody("segment-child.ts", ["create", name, "64", "644"]);
    expect(squatter.exitCode).toBe(0);
    let code: string | undefined;
    try {
      Segment.open(name, { trustOwner: true });
    } catch (error) {
      code = (error as { code: string }).code;
    }
    expect(code).toBe("EUNTRUSTED");
    // An exclusive create refuses it too: the name is taken.
    expect(() => Segment.create(name, { size: 64 })).toThrow("EEXIST");
  });
});
