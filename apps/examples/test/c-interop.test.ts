import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Mutex, Segment } from "@shmkit/core";
import type { CPrograms } from "../src/c-interop/compile.ts";
import { exampleRoot, runExample, uniqueSegment } from "./run.ts";

// The C side needs a compiler.
const runnable = process.platform === "linux" && Bun.which("cc") !== null;
const segment = uniqueSegment("reading");
const made = [segment, `${segment}-c2ts`, `${segment}-ts2c`];

afterEach(() => {
  for (const name of made) Segment.unlink(name, { ifExists: true });
});

describe.skipIf(!runnable)("C interop example", () => {
  beforeAll(() => {
    exampleRoot(); // generates the host's accessors where the committed ones are for another target: slow under qemu
  }, 120_000);

  test("a C writer's struct is read by TypeScript, and a TypeScript writer's by C, with the same values", async () => {
    const { code, stdout, stderr } = await runExample(["src/c-interop/main.ts"], segment);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).toBe("c-interop: compiled writer.c and reader.c against reading.generated.h");
    expect(lines[1]).toBe(`c-writer: wrote Reading #1 to ${segment}-c2ts: sensor "boiler", 21.5 C`);
    expect(lines[2]).toMatch(
      /^ts-reader: Reading #1 from pid \d+: sensor "boiler", 21\.5 C, samples 215 216 217 218 219$/,
    );
    expect(lines[3]).toBe(`ts-writer: wrote Reading #1 to ${segment}-ts2c: sensor "attic", -3.2 C`);
    expect(lines[4]).toMatch(
      /^c-reader: Reading #1 from pid \d+: sensor "attic", -3\.2 C, samples -32 -31 -30 -29 -28$/,
    );
    expect(lines[5]).toBe("c-interop: both directions agree");
    for (const name of made) expect(Segment.exists(name)).toBe(false);
  }, 60_000);

  describe("the C programs", () => {
    let build = "";
    let c: CPrograms;
    // From the examples as they run on this host: the header and accessors generated for its target.
    let Queue: typeof import("../src/producer-consumer/queue.generated.ts").Queue;
    beforeAll(async () => {
      const root = exampleRoot();
      ({ Queue } = (await import(
        join(root, "src/producer-consumer/queue.generated.ts")
      )) as typeof import("../src/producer-consumer/queue.generated.ts"));
      const { compileC } = (await import(
        join(root, "src/c-interop/compile.ts")
      )) as typeof import("../src/c-interop/compile.ts");
      build = mkdtempSync(join(tmpdir(), "shmkit-test-c-interop-"));
      c = await compileC(build);
    }, 120_000);
    afterAll(() => {
      rmSync(build, { recursive: true, force: true });
      expect(existsSync(build)).toBe(false);
    });

    async function exec(argv: string[]) {
      const child = Bun.spawn(argv, { stdout: "pipe", stderr: "pipe", timeout: 20_000 });
      const [stdout, stderr] = await Promise.all([
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
      ]);
      return { code: await child.exited, stdout, stderr };
    }

    test("the C reader refuses a typed segment that holds another struct, naming both fingerprints", async () => {
      Queue.create(segment, { robust: Mutex.robustSupported }).close();
      const { code, stdout, stderr } = await exec([c.reader, segment]);
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toContain(
        `c-reader: ${segment} holds struct Queue laid out for ${Queue.TARGET} (fingerprint ${Queue.FINGERPRINT}), not Reading`,
      );
    });

    test("the C reader refuses a segment too small for a header instead of reading past it", async () => {
      Segment.create(segment, { size: 16 }).close();
      const { code, stderr } = await exec([c.reader, segment]);
      expect(code).toBe(1);
      expect(stderr).toContain(`c-reader: ${segment} has 16 bytes, too small for a typed-segment header`);
    });

    test("the C writer does not overwrite an existing segment", async () => {
      Segment.create(segment, { size: 4096 }).close();
      const { code, stderr } = await exec([c.writer, segment, "x", "1"]);
      expect(code).toBe(1);
      expect(stderr).toBe(`c-writer: shm_open(${segment}): File exists\n`);
    });
  });
});
