// A pipeline of three processes joined by two shared-memory channels of typed records:
//   source ──Raw──► transform ──Converted──► sink
// The runner creates both channels, starts the stages, waits for them, and removes the channels.
//   bun run --filter examples pipeline [records=200000]
import { Channel, Segment } from "@shmkit/core";
import { CONVERTED, RAW } from "./channels.ts";
import { Converted, Raw } from "./records.generated.ts";

const count = Number(process.argv[2] ?? 200_000);
if (!Number.isInteger(count) || count < 1) {
  console.error("usage: main.ts [records >= 1]");
  process.exit(2);
}

const stages: Bun.Subprocess[] = [];
const created: string[] = []; // remove only what this run made, never a segment someone else left there
try {
  // `of:` sizes the slots for the struct and records its layout fingerprint in the channel's header.
  Channel.create(RAW, { of: Raw, capacity: 1024 }).close();
  created.push(RAW);
  Channel.create(CONVERTED, { of: Converted, capacity: 1024 }).close();
  created.push(CONVERTED);

  const started = performance.now();
  for (const stage of ["sink", "transform", "source"]) {
    stages.push(
      Bun.spawn([process.execPath, `${import.meta.dir}/${stage}.ts`, String(count)], {
        stdout: "inherit",
        stderr: "inherit",
        timeout: 60_000,
      }),
    );
  }
  // If one stage fails, the others would only wait for it until their time-out: stop them at once.
  const codes = await Promise.all(
    stages.map(async (stage) => {
      const code = await stage.exited;
      if (code !== 0) for (const other of stages) other.kill();
      return code;
    }),
  );
  if (codes.some((code) => code !== 0)) throw new Error(`a stage failed (exit codes ${codes.join(", ")})`);
  const ms = performance.now() - started;
  console.log(`pipeline: ${count} records through 3 processes in ${ms.toFixed(0)} ms, start-up included`);
} catch (error) {
  for (const stage of stages) stage.kill();
  console.error(`pipeline: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  for (const name of created) Segment.unlink(name, { ifExists: true });
}
