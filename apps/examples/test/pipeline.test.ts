import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { Segment } from "@shmkit/core";
import { exampleRoot, runExample, uniqueSegment } from "./run.ts";

const segment = uniqueSegment("pipeline");
const channels = [`${segment}-raw`, `${segment}-converted`];

beforeAll(() => {
  exampleRoot(); // generates the host's accessors where the committed ones are for another target: slow under qemu
}, 120_000);

afterEach(() => {
  for (const name of channels) Segment.unlink(name, { ifExists: true });
});

// Channel waits use Linux futexes.
describe.skipIf(process.platform !== "linux")("pipeline example", () => {
  test("20 000 records pass source → transform → sink in order, converted, with the throughput printed", async () => {
    const { code, stdout, stderr } = await runExample(["src/pipeline/main.ts", "20000"], segment);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^sink: 20000 records arrived in order and correctly converted, in [\d.]+ ms: [\d.]+ M records\/s, [\d.]+ MB\/s of Converted$/m,
    );
    expect(stdout).toMatch(/^pipeline: 20000 records through 3 processes in \d+ ms, start-up included$/m);
    for (const name of channels) expect(Segment.exists(name)).toBe(false);
  }, 60_000);

  test("a channel name already in use stops the run with EEXIST and leaves that segment alone", async () => {
    using taken = Segment.create(channels[1] as string, { size: 4096 });
    taken.bytes[0] = 7;
    const { code, stdout, stderr } = await runExample(["src/pipeline/main.ts", "10"], segment);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain(`pipeline: shm_open(${channels[1]}): EEXIST (File exists)`);
    expect(Segment.exists(channels[0] as string)).toBe(false); // the one it made is removed
    expect(Segment.exists(channels[1] as string)).toBe(true);
    expect(taken.bytes[0]).toBe(7);
  }, 60_000);
});
