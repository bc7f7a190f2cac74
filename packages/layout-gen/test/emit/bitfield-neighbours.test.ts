import { describe, expect, test } from "bun:test";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { hostTarget } from "@shmkit/core/targets";
import { emitTypeScript } from "../../src/emit/index.ts";
import { layoutOf, struct, t } from "../../src/index.ts";
import { cleanUpSegments, FIXTURES, uniqueName } from "./helpers.ts";

cleanUpSegments();

// C11 §3.14: a bitfield and a non-bitfield member next to it are separate memory locations, so C code may update
// them from two threads (or processes) without a lock between them, and gcc/clang store a bitfield without touching
// its neighbours' bytes. `b` below takes bits 12…19 (bytes 1 and 2); the atomic `c` is byte 3.
const Race = struct("Race", {
  a: t.bits(t.u32, 12),
  b: t.bits(t.u32, 8),
  c: t.atomic(t.u8),
  done: t.atomic(t.u32),
});

const CHILD = `
import { Race } from "./race.generated.ts";
using shm = Race.open(process.argv[2], { timeoutMs: 10_000 });
const s = shm.data;
const end = Date.now() + Number(process.argv[3]);
let i = 0;
while (Date.now() < end) for (let k = 0; k < 10_000; k++) s.b = i++ & 0xff;
s.done.store(1);
`;

describe("bitfield setters and their neighbours", () => {
  test("setting a bitfield from one process never loses another process's updates to the atomic beside it", async () => {
    const dir = join(FIXTURES, `.race-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const layout = layoutOf(Race, { target: hostTarget().name });
      await Bun.write(join(dir, "race.generated.ts"), emitTypeScript([layout], { schemaPath: "race.ts" }));
      await Bun.write(join(dir, "child.ts"), CHILD);
      const name = uniqueName("race");
      using shm = (await import(join(dir, "race.generated.ts"))).Race.create(name);
      const s = shm.data;
      const setter = Bun.spawn([process.execPath, join(dir, "child.ts"), name, "1500"], {
        stdout: "inherit",
        stderr: "inherit",
        timeout: 30_000,
        killSignal: "SIGKILL",
      });
      try {
        // Start counting once the child is writing b, and count until it stops (or 20 s pass).
        const deadline = Date.now() + 20_000;
        while (s.b === 0 && Date.now() < deadline) Bun.sleepSync(1);
        let added = 0;
        while (s.done.load() === 0 && Date.now() < deadline) {
          for (let k = 0; k < 1000; k++) s.c.add(1);
          added += 1000;
        }
        expect(await setter.exited).toBe(0);
        expect(added).toBeGreaterThan(0);
        // Every one of our increments must still be there (c is a u8: compare modulo 256).
        expect(s.c.load()).toBe(added % 256);
      } finally {
        setter.kill("SIGKILL");
        await setter.exited;
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
