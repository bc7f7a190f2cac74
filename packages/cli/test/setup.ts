// Preloaded by bunfig.toml for every test file of this package: hooks here apply to all of them.
import { afterAll, afterEach } from "bun:test";
import { readdirSync, rmSync } from "node:fs";
import { unlinkTestSegments } from "./helpers.ts";

afterEach(unlinkTestSegments);

// A net under the net: names made by this run carry its pid.
afterAll(() => {
  const mine = `-${process.pid}-`;
  for (const entry of readdirSync("/dev/shm")) {
    if (entry.startsWith("shmkit-test-") && entry.includes(mine))
      rmSync(`/dev/shm/${entry}`, { force: true });
  }
});
