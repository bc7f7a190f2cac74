// C interop, both ways, through one schema: a C writer fills the struct and a TypeScript reader reads it, then a
// TypeScript writer fills it and a C reader reads it. Both sides lock the same process-shared mutex.
//   bun run --filter examples c-interop        (needs a C compiler: cc, or $CC)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Segment } from "@shmkit/core";
import { compileC } from "./compile.ts";

const base = process.env.SHMKIT_EXAMPLE_SEGMENT ?? "/shmkit-example-reading";
const fromC = `${base}-c2ts`;
const fromTs = `${base}-ts2c`;

async function run(what: string, argv: string[]): Promise<void> {
  const child = Bun.spawn(argv, { stdout: "inherit", stderr: "inherit", timeout: 30_000 });
  const code = await child.exited;
  if (code !== 0) throw new Error(`${what} exited with ${code}`);
}

const bun = process.execPath;
const build = mkdtempSync(join(tmpdir(), "shmkit-c-interop-"));
try {
  const c = await compileC(build);
  console.log("c-interop: compiled writer.c and reader.c against reading.generated.h");

  await run("C writer", [c.writer, fromC, "boiler", "21.5"]);
  await run("TypeScript reader", [bun, join(import.meta.dir, "ts-reader.ts"), fromC]);

  await run("TypeScript writer", [bun, join(import.meta.dir, "ts-writer.ts"), fromTs, "attic", "-3.2"]);
  await run("C reader", [c.reader, fromTs]);
  console.log("c-interop: both directions agree");
} catch (error) {
  console.error(`c-interop: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  rmSync(build, { recursive: true, force: true });
  Segment.unlink(fromC, { ifExists: true });
  Segment.unlink(fromTs, { ifExists: true });
}
