import { existsSync } from "node:fs";
import { runChild } from "./spawn.ts";

/** The layout helper's differential fuzzer (packages/layout-gen/test/fuzz), run with this run's seed and count. */
const LAYOUT_GEN = `${import.meta.dir}/../../../packages/layout-gen`;

export interface LayoutFuzzReport {
  structs: number;
  seed: number;
  pass: number;
  fail: number;
  skip: number;
  /** The fuzzer's own lines for targets that failed or were skipped (seed, minimal struct). */
  notes: string[];
  present: boolean;
  ms: number;
}

export async function runLayoutFuzz(structs: number, seed: number): Promise<LayoutFuzzReport> {
  const report: LayoutFuzzReport = {
    structs,
    seed,
    pass: 0,
    fail: 0,
    skip: 0,
    notes: [],
    present: false,
    ms: 0,
  };
  if (!existsSync(`${LAYOUT_GEN}/test/fuzz`)) return report;
  report.present = true;
  const started = performance.now();
  const child = await runChild([process.execPath, "test", "test/fuzz"], {
    cwd: LAYOUT_GEN,
    timeoutMs: 60 * 60_000,
    env: { SHMKIT_FUZZ_COUNT: String(structs), SHMKIT_FUZZ_SEED: String(seed & 0x7fffffff) },
  });
  const output = `${child.stdout}\n${child.stderr}`;
  const figure = (word: string) => Number(new RegExp(`^\\s*(\\d+) ${word}$`, "m").exec(output)?.[1] ?? 0);
  report.pass = figure("pass");
  report.fail = figure("fail");
  report.skip = figure("skip");
  report.notes = output.split("\n").filter((l) => /^\((fail|skip)\)|seed \d+, target/.test(l));
  if (child.timedOut) report.notes.push("the layout fuzzer did not finish within an hour");
  if (child.exitCode !== 0 && report.fail === 0) report.fail = 1;
  report.ms = performance.now() - started;
  return report;
}

/** `layout-fuzz: 10000 random structs per target: 10 target/compiler pairs agree, 0 differ, …` */
export function summarizeLayoutFuzz(r: LayoutFuzzReport): string {
  if (!r.present) return "layout-fuzz: not run (packages/layout-gen/test/fuzz is not in this tree)";
  return (
    `layout-fuzz: ${r.structs} random structs per target: ${r.pass} target/compiler pairs agree, ` +
    `${r.fail} differ, ${r.skip} skipped for want of a compiler (${(r.ms / 1000).toFixed(1)} s, seed ${r.seed & 0x7fffffff})` +
    (r.fail ? " FAILED" : "")
  );
}
