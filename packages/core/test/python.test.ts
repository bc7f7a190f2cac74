import { describe, expect, test } from "bun:test";
import { Segment } from "../src/index.ts";
import { FIXTURES, run, uniqueName } from "./helpers.ts";

const python = Bun.which("python3");

// Interop with Python's multiprocessing.shared_memory, whose names have no slash.
describe.skipIf(!python)("interop with Python multiprocessing.shared_memory", () => {
  if (!python) console.warn("skipped: python3 is not installed");

  test("a segment made by Python is read by shmkit", async () => {
    const name = uniqueName("py").slice(1);
    const child = Bun.spawn([python ?? "python3", `${FIXTURES}/python_peer.py`, "create", name], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "inherit",
      timeout: 20_000,
      killSignal: "SIGKILL",
    });
    try {
      const reader = child.stdout.getReader();
      const { value } = await reader.read();
      expect(new TextDecoder().decode(value)).toStartWith("ready");
      using seg = Segment.open(name, { readonly: true });
      expect(seg.size).toBeGreaterThanOrEqual(8192);
      expect(new TextDecoder().decode(seg.bytes.subarray(0, 17))).toBe("written by python");
      expect(seg.bytes[8000]).toBe(0xab);
      reader.releaseLock();
    } finally {
      child.stdin.write("done\n");
      child.stdin.end();
      expect(await child.exited).toBe(0);
    }
    expect(Segment.exists(name)).toBe(false);
  });

  test("a segment made by shmkit is read and written by Python", async () => {
    const name = uniqueName("py");
    using seg = Segment.create(name, { size: 4096 });
    seg.bytes.set(new TextEncoder().encode("written by shmkit\0"));
    const child = await run([python ?? "python3", `${FIXTURES}/python_peer.py`, "read", name.slice(1)]);
    expect(child.stderr).toBe("");
    expect(child.exitCode).toBe(0);
    expect(child.stdout.trim()).toBe("written by shmkit True");
    expect(new TextDecoder().decode(seg.bytes.subarray(100, 115))).toBe("python was here");
    expect(Segment.exists(name)).toBe(true);
  });
});
