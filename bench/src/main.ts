// `bun run bench`: builds the C baselines, runs every case in alternating rounds so that drift (other load, CPU
// frequency) hits all sides alike, and writes bench/results/<date>.json and .svg. `--quick` is a seconds-long
// smoke run for CI: it checks that everything still runs and never fails on a time.
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import {
  deno2 as runtimeDeno2,
  node20 as runtimeNode20,
  node26 as runtimeNode26,
} from "../../packages/core/test/runtimes.ts";
import { allCases, type Case } from "./cases.ts";
import { buildC } from "./lib/build.ts";
import { describeHost } from "./lib/host.ts";
import { findOlderNode } from "./lib/older-node.ts";
import { linkBaselines, type Row, summarize, toMarkdown } from "./lib/report.ts";
import { median, p99 } from "./lib/stats.ts";
import { renderSvg } from "./lib/svg.ts";

const argv = process.argv.slice(2);
const quick = argv.includes("--quick");
const filterAt = argv.indexOf("--filter");
const filter = filterAt >= 0 ? new RegExp(argv[filterAt + 1] ?? "") : undefined;
const roundsAt = argv.indexOf("--rounds");
const rounds = roundsAt >= 0 ? Number(argv[roundsAt + 1]) : quick ? 1 : 5;

const pin = Bun.which("taskset") !== null && cpus().length >= 2;
const node26 = runtimeNode26().path ?? null;
const deno = runtimeDeno2().path ?? null;
const node = Bun.which("node");
// The Node and Deno rows run core from its dist: build it once, now.
if (
  (node26 || deno || node) &&
  Bun.spawnSync(["bun", "run", "build"], { cwd: `${import.meta.dir}/../../packages/core` }).exitCode !== 0
) {
  throw new Error("bench: building @shmkit/core's dist for the Node and Deno rows failed");
}
// Node 20–25 (the pinned Node 20, else the machine's node) gets rows of its own when core's dist runs on it (the
// koffi back-end); when it does not, the bench says why, once at the start and once at the end, and leaves those
// rows out.
const olderNode = findOlderNode(runtimeNode20().path ?? node);
const notes = olderNode.path ? [] : [`Node 20–25 rows omitted: ${olderNode.reason}`];
for (const note of notes) console.error(`bench: ${note}`);
const tools = {
  bun: process.execPath,
  node,
  node26,
  node20: olderNode.path ? { path: olderNode.path, version: olderNode.version } : null,
  deno,
  cbin: buildC(),
  pin,
  quick,
};
const cases = allCases(tools).filter((c) => !filter || filter.test(c.id));

const samples = new Map<string, number[]>(cases.map((c) => [c.id, []]));
const runs = new Map<string, number>(cases.map((c) => [c.id, 0]));
const failures: string[] = [];
/** The in-process micro cases (micro.ts); each runs in a process of its own, so that no case inherits another's JIT state. */
const MICRO_IDS = ["micro-typedarray-rw", "micro-dataview-rw", "micro-accessor-rw", "micro-shmkit-mutex"];
const started = Date.now();

async function runOnce(c: Case): Promise<void> {
  const [cpuA, cpuB] = c.pinned ? [0, 1] : [-1, -1];
  // One extra batch, dropped: it carries process start-up, JIT warm-up and page faults.
  const budget = { ...c.budget, batches: c.budget.batches + 1 };
  const child = Bun.spawn(c.command(cpuA, cpuB, budget), {
    stdout: "pipe",
    stderr: "pipe",
    timeout: quick ? 60_000 : 120_000,
    killSignal: "SIGKILL",
  });
  const [out, err] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  await child.exited;
  const line = out.split("\n").find((l) => l.startsWith("{"));
  if (child.exitCode !== 0 || !line) {
    failures.push(`${c.id}: exit ${child.exitCode ?? child.signalCode}: ${err.trim().slice(0, 400)}`);
    return;
  }
  const got = (JSON.parse(line) as { samples: number[] }).samples.slice(1);
  samples.get(c.id)?.push(...got);
  runs.set(c.id, (runs.get(c.id) ?? 0) + 1);
}

for (let round = 0; round < rounds; round++) {
  // Rotate and alternate direction each round, so no case always runs first, last or right after another.
  const shift = (round * 7) % cases.length;
  let order = [...cases.slice(shift), ...cases.slice(0, shift)];
  if (round % 2 === 1) order = order.reverse();
  for (const c of order) {
    process.stderr.write(`\rround ${round + 1}/${rounds}  ${c.id.padEnd(40)}`);
    await runOnce(c);
  }
}
process.stderr.write("\n");

const micro = await runMicro();
const rows: Row[] = [...summarize(cases, samples, runs), ...micro];
linkBaselines(rows);
const seconds = (Date.now() - started) / 1000;
const date = new Date().toISOString().slice(0, 10);
const dir = `${import.meta.dir}/../results${quick ? "/quick" : ""}`;
mkdirSync(dir, { recursive: true });
const result = {
  date: new Date().toISOString(),
  quick,
  rounds,
  seconds,
  host: describeHost(),
  rows,
  notes,
  failures,
};
writeFileSync(`${dir}/${date}.json`, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(`${dir}/${date}.svg`, renderSvg(rows, result.host, date));
const table = toMarkdown(rows);
writeFileSync(`${dir}/${date}.md`, `${table.trim()}\n`);
console.log(table);
for (const note of notes) console.log(`\n${note}`);
console.log(`\n${rows.length} rows in ${seconds.toFixed(0)} s; wrote ${dir}/${date}.json, .md and .svg`);
if (failures.length > 0) {
  console.error(`\n${failures.length} case run(s) failed:\n  ${failures.join("\n  ")}`);
  process.exitCode = 1;
}

async function runMicro(): Promise<Row[]> {
  if (filter && !filter.test("micro")) return [];
  const pooled = new Map<string, Row & { raw: number[] }>();
  // Rounds rotate and reverse the order, as for the other cases, so that drift hits every case alike.
  for (let round = 0; round < rounds; round++) {
    const order = MICRO_IDS.map((_, k) => MICRO_IDS[(k + round) % MICRO_IDS.length] as string);
    if (round % 2 === 1) order.reverse();
    for (const id of order) {
      for (const row of await runMicroCase(id)) {
        const into = pooled.get(row.id);
        if (into) {
          into.raw.push(...(row.raw ?? []));
          into.runs += 1;
        } else pooled.set(row.id, { ...row, raw: [...(row.raw ?? [])], runs: 1 });
      }
    }
  }
  return MICRO_IDS.flatMap((id) => {
    const row = pooled.get(id);
    if (!row) return [];
    const { raw, ...rest } = row;
    return [{ ...rest, median: median(raw), p99: p99(raw), samples: raw.length }];
  });
}

async function runMicroCase(id: string): Promise<Row[]> {
  const args = [`${import.meta.dir}/micro.ts`, "--only", id, ...(quick ? ["--quick"] : [])];
  const child = Bun.spawn([process.execPath, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: 120_000,
    killSignal: "SIGKILL",
  });
  const [out, err] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  await child.exited;
  const line = out.split("\n").find((l) => l.startsWith("{"));
  if (child.exitCode !== 0 || !line) {
    failures.push(`${id}: exit ${child.exitCode ?? child.signalCode}: ${err.trim().slice(0, 400)}`);
    return [];
  }
  return (JSON.parse(line) as { rows: Row[] }).rows;
}
