// Runs an example as its own process, the way a user would, and collects what it printed.
import { cpSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Mutex } from "@shmkit/core";
import { hostTarget } from "@shmkit/core/targets";

/** The examples as committed, with accessors and header generated for this target (src/codegen.ts). */
const committedRoot = join(import.meta.dir, "..");
const COMMITTED_TARGET = "x86_64-linux-gnu";

/** Why a test of the robust-mutex example is skipped, or "" where it runs. */
export const NEEDS_ROBUST = Mutex.robustSupported
  ? ""
  : " (skipped: needs robust futex lists, which qemu-user lacks)";

let hostRoot: string | undefined;

/**
 * The directory to run the examples from on this host. Where the committed generated files are for another
 * target, generated accessors refuse to run, so the examples are copied into node_modules/.cache (where
 * `@shmkit/*` still resolve) and their code generated there for this host, the way a user on this host would run
 * `bun run codegen -- --target <host>`. The committed files stay as they are.
 */
export function exampleRoot(): string {
  const target = hostTarget().name;
  if (target === COMMITTED_TARGET) return committedRoot;
  if (hostRoot) return hostRoot;
  const dir = join(committedRoot, "node_modules/.cache/shmkit-examples", target);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(committedRoot, "src"), join(dir, "src"), { recursive: true });
  const gen = Bun.spawnSync([process.execPath, "src/codegen.ts", "--target", target], {
    cwd: dir,
    stdout: "pipe",
    stderr: "pipe",
  });
  if (gen.exitCode !== 0) throw new Error(`codegen --target ${target} failed:\n${gen.stderr.toString()}`);
  hostRoot = dir;
  return dir;
}

export function uniqueSegment(what: string): string {
  return `/shmkit-test-example-${what}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function runExample(
  args: string[],
  segment: string,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([process.execPath, ...args], {
    cwd: exampleRoot(),
    env: { ...process.env, SHMKIT_EXAMPLE_SEGMENT: segment, ...extraEnv },
    stdout: "pipe",
    stderr: "pipe",
    timeout: 45_000,
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { code: await child.exited, stdout, stderr };
}
