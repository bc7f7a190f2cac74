import { afterEach, describe, expect, test } from "bun:test";
import { Segment } from "@shmkit/core";

const root = `${import.meta.dir}/..`;
const segment = `/shmkit-test-example-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const env = { ...process.env, SHMKIT_EXAMPLE_SEGMENT: segment };

afterEach(() => {
  Segment.unlink(segment, { ifExists: true });
});

async function bun(args: string[]) {
  const child = Bun.spawn([process.execPath, ...args], {
    cwd: root,
    env,
    stdout: "pipe",
    stderr: "pipe",
    timeout: 30_000,
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { code: await child.exited, stdout, stderr };
}

describe("writer/reader example (seed 004)", () => {
  test("the demo passes a message from the writer process to the reader process and cleans up", async () => {
    const { code, stdout, stderr } = await bun(["src/writer-reader/demo.ts", "hello, 世界"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toContain(`writer: wrote 13 bytes to ${segment}: "hello, 世界"`);
    expect(stdout).toContain(`reader: read 13 bytes from ${segment}: "hello, 世界"`);
    expect(stdout).toContain(`demo: ${segment} is gone from /dev/shm`);
    expect(Segment.exists(segment)).toBe(false);
  });

  test("the reader without a writer says to run the writer first", async () => {
    const { code, stderr } = await bun(["src/writer-reader/reader.ts"]);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `shm_open(${segment}): ENOENT (No such file or directory); run the writer first`,
    );
  });

  test("a second writer does not overwrite a waiting message", async () => {
    expect((await bun(["src/writer-reader/writer.ts", "first"])).code).toBe(0);
    const second = await bun(["src/writer-reader/writer.ts", "second"]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("EEXIST (File exists); a message is waiting");
    const read = await bun(["src/writer-reader/reader.ts"]);
    expect(read.stdout).toContain('"first"');
  });

  test("the reader refuses a corrupt length instead of reading past the segment", async () => {
    using seg = Segment.create(segment, { size: 4096 });
    new Uint32Array(seg.buffer)[0] = 0xffffffff;
    const { code, stderr } = await bun(["src/writer-reader/reader.ts"]);
    expect(code).toBe(1);
    expect(stderr).toContain("holds a length of 4294967295, more than fits");
  });
});
