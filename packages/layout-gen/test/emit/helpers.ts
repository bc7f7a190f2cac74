import { afterAll, afterEach } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Segment } from "@shmkit/core";

const made = new Set<string>();

/**
 * A segment name no other test uses, unlinked after each test (also on failure) by the hooks that
 * `cleanUpSegments()` registers in the calling test file.
 */
export function uniqueName(tag = "emit"): string {
  const name = `/shmkit-test-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  made.add(name);
  return name;
}

/** Registers the after-each unlink and an after-all sweep of this process's names. Call once per test file. */
export function cleanUpSegments(): void {
  afterEach(() => {
    for (const name of made) Segment.unlink(name, { ifExists: true });
    made.clear();
  });
  afterAll(() => {
    const mine = `-${process.pid}-`;
    for (const entry of readdirSync("/dev/shm")) {
      if (entry.startsWith("shmkit-test-") && entry.includes(mine))
        rmSync(`/dev/shm/${entry}`, { force: true });
    }
  });
}

export interface Run {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, killed after `timeoutMs` so a stuck child fails the test instead of hanging it. */
export async function run(cmd: string[], options: { timeoutMs?: number; cwd?: string } = {}): Promise<Run> {
  const child = Bun.spawn(cmd, {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    timeout: options.timeoutMs ?? 30_000,
    killSignal: "SIGKILL",
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  await child.exited;
  return { exitCode: child.exitCode, stdout, stderr };
}

/** A fresh temporary directory, removed by the caller. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "shmkit-emit-"));
}

export const FIXTURES = `${import.meta.dir}/fixtures`;

/** Native tests need a C compiler; they skip (with this reason) where there is none. */
export const CC = Bun.which("cc");

/** Compiles `source` (with the generated header beside it) into an executable and returns its path. */
export async function compileC(dir: string, source: string, name = "prog"): Promise<string> {
  await Bun.write(join(dir, `${name}.c`), source);
  const out = join(dir, name);
  const r = await run(
    [
      CC ?? "cc",
      "-std=c11",
      "-Wall",
      "-Werror",
      `-I${FIXTURES}`,
      "-o",
      out,
      join(dir, `${name}.c`),
      "-lpthread",
    ],
    {
      timeoutMs: 60_000,
    },
  );
  if (r.exitCode !== 0) throw new Error(`cc failed:\n${r.stderr}`);
  return out;
}
