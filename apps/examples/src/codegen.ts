// Regenerates every *.generated.* file of the examples with the shmkit CLI (turbo runs it as `codegen`; CI then
// checks `git diff --exit-code`). The target is fixed so that the committed files do not depend on the machine
// that ran this; the committed examples run where it matches (x86_64 Linux with glibc). On another host, generate
// its accessors and header with --target (the tests do that in a copy, see test/run.ts).
//   bun run --filter examples codegen [-- --target aarch64-linux-gnu]
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { target: { type: "string", default: "x86_64-linux-gnu" } } });
const TARGET = values.target;
const root = join(import.meta.dir, "..");
const shmkit = join(dirname(Bun.resolveSync("@shmkit/cli/package.json", root)), "src/bin.ts");

const runs: string[][] = [
  ["gen", "src/producer-consumer/queue.schema.ts"],
  ["gen", "src/c-interop/reading.schema.ts"],
  ["gen", "src/crash-recovery/bank.schema.ts"],
  ["gen", "src/pipeline/records.schema.ts"],
  ["header", "src/c-interop/reading.schema.ts", "--out", "src/c-interop/reading.generated.h"],
];

for (const args of runs) {
  const run = Bun.spawnSync([process.execPath, shmkit, ...args, "--target", TARGET], {
    cwd: root,
    stdout: "inherit",
    stderr: "inherit",
  });
  if (run.exitCode !== 0) {
    console.error(`codegen: shmkit ${args.join(" ")} exited with ${run.exitCode}`);
    process.exit(1);
  }
}
