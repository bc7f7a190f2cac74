// The stress run's `aarch64` check: the whole suite under qemu-aarch64 (scripts/test-aarch64.sh, `bun run
// test:aarch64`). It takes about 14 minutes on our 2-core machines, too long for .ci/run, so it lives here.
import { join } from "node:path";

export interface Aarch64Result {
  ran: boolean;
  /** Why it did not run, when it did not. */
  reason: string;
  seconds: number;
  passed: number;
  failed: number;
  skipped: number;
  /** The names of skipped tests, which must all say they need robust futex lists. */
  skips: string[];
  exitCode: number | null;
  tail: string[];
}

const ROOT = join(import.meta.dir, "../../..");

export async function runAarch64(timeoutMs: number): Promise<Aarch64Result> {
  const empty = { seconds: 0, passed: 0, failed: 0, skipped: 0, skips: [], exitCode: null, tail: [] };
  if (process.arch === "arm64")
    return { ran: false, reason: "this host is aarch64: bun run test covers it", ...empty };
  if (process.arch !== "x64" || process.platform !== "linux") {
    return {
      ran: false,
      reason: `needs an x86_64 Linux host, not ${process.platform}/${process.arch}`,
      ...empty,
    };
  }
  const started = performance.now();
  const proc = Bun.spawn(["bash", join(ROOT, "scripts/test-aarch64.sh")], {
    cwd: ROOT,
    stdout: "pipe",
    stderr: "pipe",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
  });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  const text = `${out}\n${err}`;
  const sum = (re: RegExp) => [...text.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  return {
    ran: true,
    reason: "",
    seconds: (performance.now() - started) / 1000,
    passed: sum(/^\S+:test:\s+(\d+) pass$/gm),
    failed: sum(/^\S+:test:\s+(\d+) fail$/gm),
    skipped: sum(/^\S+:test:\s+(\d+) skip$/gm),
    skips: [...new Set([...text.matchAll(/^\S+:test: \(skip\) (.*)$/gm)].map((m) => m[1] as string))],
    exitCode: proc.exitCode,
    tail: text.trim().split("\n").slice(-15),
  };
}

/** Failures: a non-zero exit, a failed test, or a skip that does not give the one accepted reason. */
export function aarch64Failures(r: Aarch64Result): string[] {
  if (!r.ran) return [];
  const failures: string[] = [];
  if (r.exitCode !== 0) failures.push(`scripts/test-aarch64.sh exited ${r.exitCode}`, ...r.tail);
  for (const name of r.skips) {
    if (!name.includes("needs robust futex lists")) failures.push(`skipped for another reason: ${name}`);
  }
  return failures;
}

export function summarizeAarch64(r: Aarch64Result): string {
  if (!r.ran) return `aarch64: not run (${r.reason})`;
  return `aarch64: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped (robust futex lists) under qemu in ${Math.round(r.seconds)} s`;
}
