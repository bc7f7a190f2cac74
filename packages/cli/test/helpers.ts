import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Segment } from "@shmkit/core";
import { hostTarget, type TargetName } from "@shmkit/core/targets";

/**
 * The `shmkit` command from source, run by this Bun: what the installed bin runs under `bunx --bun shmkit`
 * (the bin itself, dist/bin.js, starts Node where there is one; test/runtimes.test.ts runs dist on Node and Deno).
 */
export const SHMKIT: readonly string[] = [process.execPath, `${import.meta.dir}/../src/bin.ts`];
export const FIXTURES = `${import.meta.dir}/fixtures`;

const made = new Set<string>();

/** A segment name no other test (or test run) uses; unlinked after each test, also on failure. */
export function uniqueName(tag = "cli"): string {
  const name = `/shmkit-test-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  made.add(name);
  return name;
}

/** Unlinks every segment `uniqueName` handed out; test/setup.ts runs it after each test. */
export function unlinkTestSegments(): void {
  for (const name of made) Segment.unlink(name, { ifExists: true });
  made.clear();
}

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `shmkit …args` in its own process, without colour unless `env` asks for it, killed after a time-out. */
export async function shmkit(
  args: readonly string[],
  options: { env?: Record<string, string | undefined>; timeoutMs?: number; cwd?: string } = {},
): Promise<Result> {
  const child = Bun.spawn([...SHMKIT, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
    cwd: options.cwd ?? process.cwd(),
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...options.env },
    timeout: options.timeoutMs ?? 30_000,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { code: await child.exited, stdout, stderr };
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(tag: string): { path: string; [Symbol.dispose](): void } {
  const path = mkdtempSync(join(tmpdir(), `shmkit-cli-${tag}-`));
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

/** Reads a stream until `done(text so far)` holds, or fails after `timeoutMs`. Returns everything read. */
export async function readUntil(
  reader: { read(): Promise<{ done: boolean; value?: Uint8Array | undefined }> },
  sofar: { text: string },
  done: (text: string) => boolean,
  timeoutMs = 20_000,
): Promise<string> {
  const decoder = new TextDecoder();
  const deadline = Date.now() + timeoutMs;
  while (!done(sofar.text)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms; output so far:\n${sofar.text}`);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), left);
    });
    const chunk = await Promise.race([reader.read(), timeout]);
    clearTimeout(timer);
    if (chunk === "timeout") continue;
    if (chunk.done)
      throw new Error(`the stream ended before the expected output; output so far:\n${sofar.text}`);
    sofar.text += decoder.decode(chunk.value, { stream: true });
  }
  return sofar.text;
}

/** This user's name as `id -un` says it (an independent source for the OWNER column). */
export const ME = Bun.spawnSync(["id", "-un"]).stdout.toString().trim();

/** Runs any command to completion with a time-out (so a stuck child fails the test instead of hanging it). */
export async function run(cmd: readonly string[], timeoutMs = 30_000) {
  const child = Bun.spawn([...cmd], {
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { exitCode: await child.exited, stdout, stderr };
}

/**
 * The musl target of this host's architecture and why it cannot be checked here, if it cannot: `musl-gcc`
 * (Debian musl-tools) only builds for the architecture it was packaged for, which under qemu-user is not the host's.
 */
export function hostMusl(): { target: TargetName; cc: "musl-gcc"; missing: string | undefined } {
  const { arch } = hostTarget();
  const target = `${arch}-linux-musl` as TargetName;
  if (Bun.which("musl-gcc") === null) return { target, cc: "musl-gcc", missing: "musl-gcc is not installed" };
  const built = Bun.spawnSync(["musl-gcc", "-dumpmachine"]).stdout.toString().trim().split("-")[0];
  const missing = built === arch ? undefined : `musl-gcc builds for ${built}, not ${arch}`;
  return { target, cc: "musl-gcc", missing };
}
