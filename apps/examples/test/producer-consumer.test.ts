import { afterEach, beforeAll, describe, expect, test } from "bun:test";
import { Segment } from "@shmkit/core";
import { exactlyOnce } from "../src/producer-consumer/exactly-once.ts";
import { exampleRoot, runExample, uniqueSegment } from "./run.ts";

const segment = uniqueSegment("queue");

beforeAll(() => {
  exampleRoot(); // generates the host's accessors where the committed ones are for another target: slow under qemu
}, 120_000);

afterEach(() => {
  Segment.unlink(segment, { ifExists: true });
});

describe("producer/consumer example (seed 000)", () => {
  test("three consumer processes take 3000 items through the condvar-guarded queue, each exactly once", async () => {
    const { code, stdout, stderr } = await runExample(
      ["src/producer-consumer/main.ts", "3", "3000"],
      segment,
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const counts = [...stdout.matchAll(/^consumer (\d) \(pid \d+\): (\d+) items$/gm)].map((m) =>
      Number(m[2]),
    );
    expect(counts).toHaveLength(3);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(stdout).toMatch(
      /producer-consumer: 3000 items through a 16-slot queue, each consumed exactly once by 3 processes, in \d+ ms/,
    );
    expect(Segment.exists(segment)).toBe(false);
  }, 60_000);

  test("a segment left behind by another run is refused with EEXIST, not overwritten", async () => {
    using seg = Segment.create(segment, { size: 64 });
    seg.bytes[0] = 42;
    const { code, stderr } = await runExample(["src/producer-consumer/main.ts", "1", "10"], segment);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `producer-consumer: shm_open(${segment}): EEXIST (File exists); another run is using it, or left it: shmkit rm ${segment}\n`,
    );
    expect(Segment.exists(segment)).toBe(true);
    expect(seg.bytes[0]).toBe(42);
  });
});

describe("exactlyOnce", () => {
  test("accepts reports that split 1..M between consumers", () => {
    expect(exactlyOnce([[1, 3], [2], [4, 5]], 5)).toEqual([]);
  });

  test("names a duplicate, a missing item and one that was never produced", () => {
    expect(
      exactlyOnce(
        [
          [1, 2],
          [2, 9],
        ],
        4,
      ),
    ).toEqual(["item 2 was consumed twice", "item 9 was never produced", "2 items never consumed: 3, 4"]);
  });
});
