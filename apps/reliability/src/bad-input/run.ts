import { ftruncateSync } from "node:fs";
import { Channel, Mutex, Segment, TypedSegment } from "@shmkit/core";
import { hostTarget } from "@shmkit/core/targets";
import { removeWithPrefix, runPrefix } from "../names.ts";
import { Rng } from "../rng.ts";
import { bunCmd, runChild } from "../spawn.ts";
import {
  describeCase,
  generateCase,
  type PreparedChannel,
  type PreparedMutex,
  type PreparedTyped,
} from "./cases.ts";
import type { Outcome } from "./child.ts";
import { probeClass } from "./probe.ts";
import { corrupt } from "./typed-header.ts";

export interface BadInputOptions {
  seed: number;
  cases: number;
  /** Cases per child process. */
  batch: number;
  /** Children running at once. */
  concurrency: number;
  /** A batch of n cases is killed (a hang) after `timeoutMs + n * 50` ms. */
  timeoutMs: number;
  /** Test hook: make the case with this index kill its child with SIGSEGV, or hang it. */
  inject?: { crashAt?: number; hangAt?: number };
}

export interface Failure {
  index: number;
  /** The operation of the case (`open`, `typed`, …). */
  op: string;
  kind: "crash" | "hang" | "untyped" | "violation";
  /** What happened: the signal, the error, the broken invariant. */
  detail: string;
  /** The generated input, to replay by hand. */
  input: string;
}

export interface BadInputReport {
  seed: number;
  cases: number;
  ok: number;
  typed: number;
  untyped: number;
  violations: number;
  crashes: number;
  hangs: number;
  children: number;
  /** How often each typed error occurred (ShmError code, or `arg:<argument>`): what the run covered. */
  codes: Record<string, number>;
  /** Outcomes per operation: `{ open: { ok: 120, typed: 410 }, … }`. */
  ops: Record<string, Record<string, number>>;
  failures: Failure[];
  ms: number;
}

const CHILD = `${import.meta.dir}/child.ts`;

/**
 * Runs `cases` seeded bad-input cases in child processes, `batch` per child. A batch whose child dies by a signal
 * or hangs is split in halves and rerun until the case that does it is alone, so every crash is attributed to
 * one input.
 */
export async function runBadInput(options: BadInputOptions): Promise<BadInputReport> {
  const started = performance.now();
  const prefix = runPrefix("fuzz");
  const report: BadInputReport = {
    seed: options.seed,
    cases: options.cases,
    ok: 0,
    typed: 0,
    untyped: 0,
    violations: 0,
    crashes: 0,
    hangs: 0,
    children: 0,
    codes: {},
    ops: {},
    failures: [],
    ms: 0,
  };
  const describe = (index: number) => describeCase(generateCase(options.seed, index, prefix));

  const cleanup = (start: number, count: number) => {
    for (let i = start; i < start + count; i++) removeWithPrefix(`${prefix}${i}_`);
  };

  // Another process (this one) makes and truncates the segments the cases open.
  const prepare = (start: number, count: number) => {
    for (let i = start; i < start + count; i++) {
      const c = generateCase(options.seed, i, prefix);
      if (c.op === "typed") prepareTyped(c.typed);
      if (c.op === "channel") prepareChannel(c.channel);
      if (c.op === "mutex") prepareMutex(c.mutex);
      const p = c.prepared;
      if (!p) continue;
      using seg = Segment.create(`/${p.base}`, { size: p.size, mode: p.mode, reserve: false });
      if (p.truncateTo !== undefined) ftruncateSync(seg.fd, p.truncateTo);
    }
  };

  const runRange = async (start: number, count: number): Promise<void> => {
    cleanup(start, count);
    prepare(start, count);
    report.children++;
    const child = await runChild(bunCmd(CHILD, String(options.seed), prefix, String(start), String(count)), {
      timeoutMs: options.timeoutMs + count * 50,
      stdin: "pipe",
      env: {
        SHMKIT_RELIABILITY_CRASH_AT: String(options.inject?.crashAt ?? -1),
        SHMKIT_RELIABILITY_HANG_AT: String(options.inject?.hangAt ?? -1),
      },
    }).finally(() => cleanup(start, count));
    const outcomes = parseOutcomes(child.stdout, start, count);
    if (child.exitCode === 0 && !child.timedOut && outcomes) {
      for (const o of outcomes) record(o);
      return;
    }
    if (count > 1) {
      // The child names each case on stderr before running it; try the last one it named alone first.
      const last = [...child.stderr.matchAll(/^@case (\d+)$/gm)].at(-1)?.[1];
      const suspect = last === undefined ? -1 : Number(last);
      if (suspect >= start && suspect < start + count) {
        const before = failures();
        await runRange(suspect, 1);
        if (failures() > before) {
          if (suspect > start) await runRange(start, suspect - start);
          if (suspect + 1 < start + count) await runRange(suspect + 1, start + count - suspect - 1);
          return;
        }
        // It passes alone: the failure needs the cases before it. Bisect, without counting the suspect twice.
        forget(suspect);
      }
      const half = Math.ceil(count / 2);
      await runRange(start, half);
      await runRange(start + half, count - half);
      return;
    }
    const kind = child.timedOut ? "hang" : "crash";
    if (kind === "hang") report.hangs++;
    else report.crashes++;
    const how = child.timedOut
      ? `no exit after ${options.timeoutMs + 50} ms`
      : `exit ${child.exitCode}, signal ${child.signalCode}`;
    const stderr = child.stderr
      .replace(/^@case \d+\n/gm, "")
      .trim()
      .split("\n")
      .slice(-3)
      .join(" | ")
      .slice(0, 400);
    const op = generateCase(options.seed, start, prefix).op;
    report.failures.push({
      index: start,
      op,
      kind,
      detail: `${how}; stderr: ${stderr}`,
      input: describe(start),
    });
  };

  const failures = () => report.crashes + report.hangs;
  // Undoes the outcome the suspect's lone run recorded, before its batch is bisected and runs it again.
  const forget = (index: number) => {
    const at = recorded.get(index);
    if (at === undefined) return;
    recorded.delete(index);
    const op = tally(at.op);
    op[at.r] = (op[at.r] ?? 1) - 1;
    if (at.r === "ok") report.ok--;
    else if (at.r === "typed") {
      report.typed--;
      const code = at.code ?? "?";
      report.codes[code] = (report.codes[code] ?? 1) - 1;
    } else {
      if (at.r === "untyped") report.untyped--;
      else report.violations--;
      report.failures = report.failures.filter((f) => f.index !== index);
    }
  };
  const recorded = new Map<number, Outcome>();
  const tally = (op = "?"): Record<string, number> => {
    const counts = report.ops[op] ?? {};
    report.ops[op] = counts;
    return counts;
  };

  const record = (o: Outcome) => {
    recorded.set(o.i, o);
    const op = tally(o.op);
    op[o.r] = (op[o.r] ?? 0) + 1;
    if (o.r === "ok") report.ok++;
    else if (o.r === "typed") {
      report.typed++;
      const code = o.code ?? "?";
      report.codes[code] = (report.codes[code] ?? 0) + 1;
    } else {
      if (o.r === "untyped") report.untyped++;
      else report.violations++;
      report.failures.push({
        index: o.i,
        op: o.op ?? "?",
        kind: o.r,
        detail: o.detail ?? "",
        input: describe(o.i),
      });
    }
  };

  let next = 0;
  const worker = async () => {
    while (next < options.cases) {
      const start = next;
      const count = Math.min(options.batch, options.cases - start);
      next += count;
      await runRange(start, count);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  report.failures.sort((a, b) => a.index - b.index);
  report.ms = performance.now() - started;
  return report;
}

/** Makes the typed (or foreign) segment of a typed-header case, corrupts it, then truncates it. */
function prepareTyped(t: PreparedTyped): void {
  const name = `/${t.base}`;
  if (t.kind === "typed") TypedSegment.create(probeClass(t.fingerprint), name).close();
  else Segment.create(name, { size: t.size }).close();
  using seg = Segment.open(name);
  corrupt(seg.bytes, t);
  if (t.truncateTo !== undefined) ftruncateSync(seg.fd, t.truncateTo);
}

/** Makes a segment with a mutex at 0 (initialised, zero or random bytes), then overwrites words of it. */
function prepareMutex(p: PreparedMutex): void {
  using seg = Segment.create(`/${p.base}`, { size: 4096 });
  // Where robust lists are missing (qemu-user) Mutex.init refuses robust mutexes, so such cases get a plain one.
  const robust = p.robust && Mutex.robustSupported;
  if (p.kind === "init") Mutex.init(seg, 0, { robust, errorCheck: p.errorCheck });
  const words = new Int32Array(seg.buffer, 0, 16);
  if (p.kind === "random") {
    const rng = new Rng(p.fill);
    for (let i = 0; i < words.length; i++) words[i] = rng.u32() | 0;
  }
  for (const [index, value] of p.words) words[index] = value;
  // Where glibc and musl keep the kind (see Mutex.at): word 4 on glibc, word 0 on musl.
  if (p.kindWord !== undefined) words[hostTarget().libc === "musl" ? 0 : 4] = p.kindWord;
}

/** Makes a channel, sends a few messages, then overwrites words and truncates it. */
function prepareChannel(p: PreparedChannel): void {
  const name = `/${p.base}`;
  {
    using channel = Channel.create(name, {
      kind: p.kind,
      capacity: p.capacity,
      messageSize: p.messageSize,
      fingerprint: p.fingerprint,
    });
    const tx = channel.sender();
    for (let i = 0; i < p.sent; i++) tx.trySend(new Uint8Array(Math.min(p.messageSize, 5)).fill(i));
  }
  using seg = Segment.open(name);
  const words = new Int32Array(seg.buffer, 0, seg.size >>> 2);
  for (const [index, value] of p.words) if (index < words.length) words[index] = value;
  if (p.truncateTo !== undefined) ftruncateSync(seg.fd, p.truncateTo);
}

function parseOutcomes(stdout: string, start: number, count: number): Outcome[] | undefined {
  try {
    const outcomes = JSON.parse(stdout.trim()) as Outcome[];
    if (!Array.isArray(outcomes) || outcomes.length !== count) return undefined;
    return outcomes.every((o, k) => o.i === start + k) ? outcomes : undefined;
  } catch {
    return undefined;
  }
}

/** `bad-input: 5000 cases, 0 crashes, 0 hangs, …` */
export function summarizeBadInput(r: BadInputReport): string {
  const failed = r.untyped + r.violations + r.crashes + r.hangs;
  return (
    `bad-input: ${r.cases} cases, ${r.crashes} crashes, ${r.hangs} hangs, ${r.untyped} untyped errors, ` +
    `${r.violations} broken invariants (${r.ok} ok, ${r.typed} typed errors; ${r.children} children, ` +
    `${(r.ms / 1000).toFixed(1)} s, seed ${r.seed})${failed ? " FAILED" : ""}`
  );
}

/**
 * `typed-headers: …`: the typed-segment cases of the same run (corrupt, foreign or truncated headers, wrong
 * fingerprints), each checked against the header model's prediction.
 */
export function summarizeTypedHeaders(r: BadInputReport): string {
  const t = r.ops.typed ?? {};
  const total = Object.values(t).reduce((a, b) => a + b, 0);
  const failures = r.failures.filter((f) => f.op === "typed");
  const count = (kind: Failure["kind"]) => failures.filter((f) => f.kind === kind).length;
  return (
    `typed-headers: ${total} corrupt, foreign, truncated or mismatched typed segments opened, ${count("crash")} ` +
    `crashes, ${count("hang")} hangs, ${count("violation") + count("untyped")} outcomes other than the header ` +
    `model predicts (${t.ok ?? 0} opened, ${t.typed ?? 0} refused: EMAGIC ${r.codes.EMAGIC ?? 0}, EVERSION ` +
    `${r.codes.EVERSION ?? 0}, EFINGERPRINT ${r.codes.EFINGERPRINT ?? 0}, ENOTREADY ${r.codes.ENOTREADY ?? 0}; ` +
    `seed ${r.seed})${failures.length ? " FAILED" : ""}`
  );
}

/** `channel-headers: …`: the channel cases of the same run (corrupt header words, positions, slots, sizes). */
export function summarizeChannelHeaders(r: BadInputReport): string {
  const t = r.ops.channel ?? {};
  const total = Object.values(t).reduce((a, b) => a + b, 0);
  const failures = r.failures.filter((f) => f.op === "channel");
  const count = (kind: Failure["kind"]) => failures.filter((f) => f.kind === kind).length;
  return (
    `channel-headers: ${total} corrupted channels opened and used, ${count("crash")} crashes, ${count("hang")} ` +
    `hangs, ${count("untyped")} untyped errors, ${count("violation")} outcomes other than the header model ` +
    `predicts (${t.ok ?? 0} opened, ${t.typed ?? 0} refused: ELAYOUT ${r.codes.ELAYOUT ?? 0}; seed ${r.seed})` +
    (failures.length ? " FAILED" : "")
  );
}

/** `mutex-garbage: …`: the corrupt-mutex cases of the same run. */
export function summarizeMutexGarbage(r: BadInputReport): string {
  const t = r.ops.mutex ?? {};
  const total = Object.values(t).reduce((a, b) => a + b, 0);
  const failures = r.failures.filter((f) => f.op === "mutex");
  const count = (kind: Failure["kind"]) => failures.filter((f) => f.kind === kind).length;
  return (
    `mutex-garbage: ${total} corrupt or uninitialised mutexes attached and locked with time-outs, ` +
    `${count("crash")} crashes, ${count("hang")} hangs, ${count("untyped") + count("violation")} other errors ` +
    `(${t.ok ?? 0} locked and unlocked, ${t.typed ?? 0} refused with typed errors; seed ${r.seed})` +
    (failures.length ? " FAILED" : "")
  );
}

/** One line per failure, with what a person needs to replay it. */
export function formatFailures(r: BadInputReport, limit = 20): string[] {
  const lines = r.failures
    .slice(0, limit)
    .map((f) => `  bad-input seed ${r.seed} case ${f.index}: ${f.kind}: ${f.detail}\n    input: ${f.input}`);
  if (r.failures.length > limit) lines.push(`  … and ${r.failures.length - limit} more`);
  return lines;
}
