// The long reliability run: `bun run test:stress` at the root. One summary line per check, then the failures
// with their seeds; exits 1 if any check failed.
//
//   bun run test:stress -- --seed=123 --only=owner-death,contention --owner-death=1000
//
// The aarch64 check runs the whole suite under qemu-aarch64 (about 14 minutes; --only=aarch64 for it alone).
//
// Every flag also reads from the environment (SHMKIT_STRESS_<FLAG in upper case, - as _>), flags win.
import { parseArgs } from "node:util";
import { aarch64Failures, runAarch64, summarizeAarch64 } from "./aarch64.ts";
import {
  formatFailures,
  runBadInput,
  summarizeBadInput,
  summarizeChannelHeaders,
  summarizeMutexGarbage,
  summarizeTypedHeaders,
} from "./bad-input/run.ts";
import { runChannel, summarizeChannel } from "./channel/run.ts";
import { runLayoutFuzz, summarizeLayoutFuzz } from "./layout-fuzz.ts";
import { removeStale } from "./names.ts";
import { randomSeed } from "./rng.ts";
import { runSecurity, summarizeSecurity } from "./security/run.ts";
import { runContention, summarizeContention } from "./sync/contention.ts";
import { runOwnerDeath, summarizeOwnerDeath } from "./sync/owner-death.ts";

const defaults = {
  seed: "",
  only: "",
  "bad-input": "20000",
  batch: "200",
  concurrency: "2",
  "owner-death": "500",
  procs: "4",
  increments: "250000",
  messages: "10000000",
  restarts: "20",
  /** Producer processes of the MPSC channel run (the SPSC run has one). */
  producers: "3",
  "layout-structs": "10000",
} as const;

type Flag = keyof typeof defaults;

const { values } = parseArgs({
  args: Bun.argv.slice(2),
  options: Object.fromEntries(Object.keys(defaults).map((k) => [k, { type: "string" }])) as Record<
    Flag,
    { type: "string" }
  >,
  strict: true,
});

function flag(name: Flag): string {
  return (
    (values as Partial<Record<Flag, string>>)[name] ??
    process.env[`SHMKIT_STRESS_${name.toUpperCase().replaceAll("-", "_")}`] ??
    defaults[name]
  );
}

function count(name: Flag): number {
  const value = Number(flag(name));
  if (!Number.isInteger(value) || value < 0)
    throw new RangeError(`--${name}: must be a whole number, got ${flag(name)}`);
  return value;
}

const seed = flag("seed") === "" ? randomSeed() : count("seed") >>> 0;
const only = new Set(flag("only").split(",").filter(Boolean));
const wanted = (check: string) => only.size === 0 || only.has(check);

const checks = [
  "bad-input",
  "security",
  "owner-death",
  "contention",
  "channels",
  "layout-fuzz",
  "aarch64",
] as const;
for (const name of only) {
  if (!(checks as readonly string[]).includes(name)) throw new RangeError(`--only: unknown check ${name}`);
}

const summaries: string[] = [];
let failed = false;

function report(summary: string, failures: string[]): void {
  console.log(summary);
  summaries.push(summary);
  if (failures.length > 0) {
    failed = true;
    for (const line of failures.slice(0, 20)) console.log(`  ${line}`);
  }
}

console.log(`stress: seed ${seed} (replay with --seed=${seed})`);
const stale = removeStale();
if (stale > 0) console.log(`stress: removed ${stale} segments left by earlier runs that were killed`);

if (wanted("bad-input")) {
  const r = await runBadInput({
    seed,
    cases: count("bad-input"),
    batch: count("batch"),
    concurrency: count("concurrency"),
    timeoutMs: 5_000,
  });
  report(summarizeBadInput(r), formatFailures(r, 50));
  // The typed-segment, channel and mutex cases run inside the same fuzzer; their own lines give their figures.
  for (const line of [summarizeTypedHeaders(r), summarizeChannelHeaders(r), summarizeMutexGarbage(r)]) {
    console.log(line);
    summaries.push(line);
  }
}

if (wanted("security")) {
  const r = await runSecurity();
  report(summarizeSecurity(r), r.failures);
}

if (wanted("owner-death")) {
  const r = await runOwnerDeath({
    iterations: count("owner-death"),
    seed,
    lockTimeoutMs: 30_000,
    maxKillDelayMs: 20,
    withC: true,
  });
  report(summarizeOwnerDeath(r), r.hangs > 0 ? [...r.failures, `${r.hangs} hangs`] : r.failures);
}

if (wanted("contention")) {
  const r = await runContention(count("procs"), count("increments"));
  report(summarizeContention(r), r.failures);
}

if (wanted("channels")) {
  for (const producers of [1, count("producers")]) {
    const r = await runChannel({
      messages: count("messages"),
      producers,
      restarts: count("restarts"),
      seed,
      capacity: 1024,
      killAfterMs: [20, 400],
      timeoutMs: 30 * 60_000,
    });
    report(summarizeChannel(r), r.failures);
  }
}

if (wanted("layout-fuzz")) {
  const r = await runLayoutFuzz(count("layout-structs"), seed);
  report(summarizeLayoutFuzz(r), r.fail > 0 ? r.notes : []);
}

if (wanted("aarch64")) {
  const r = await runAarch64(60 * 60_000);
  report(summarizeAarch64(r), aarch64Failures(r));
}

console.log("");
console.log(failed ? "stress: FAILED" : "stress: all checks passed");
for (const line of summaries) console.log(`  ${line}`);
process.exit(failed ? 1 : 0);
