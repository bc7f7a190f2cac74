// Runs the writer, then the reader, as two separate processes: the message crosses through shared memory.
//   bun run demo
import { Segment } from "@shmkit/core";
import { SEGMENT } from "./message.ts";

const dir = import.meta.dir;
const message = process.argv[2] ?? "Hello through POSIX shared memory";

async function step(script: string, args: string[] = []): Promise<void> {
  const child = Bun.spawn([process.execPath, `${dir}/${script}`, ...args], {
    stdout: "inherit",
    stderr: "inherit",
    timeout: 30_000,
  });
  const code = await child.exited;
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
}

try {
  await step("writer.ts", [message]);
  await step("reader.ts");
  console.log(
    `demo: ${SEGMENT} ${Segment.exists(SEGMENT) ? "is still in /dev/shm (unexpected)" : "is gone from /dev/shm"}`,
  );
} catch (error) {
  Segment.unlink(SEGMENT, { ifExists: true }); // leave nothing behind, also on failure
  console.error(`demo: ${(error as Error).message}`);
  process.exit(1);
}
