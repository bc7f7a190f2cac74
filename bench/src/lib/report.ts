import type { Case, Group } from "../cases.ts";
import { formatBytes } from "../cases.ts";
import { median, p99 } from "./stats.ts";

/** One line of the results: nanoseconds per operation, and how it compares. */
export interface Row {
  id: string;
  group: Group;
  label: string;
  pinned: boolean;
  bytes?: number;
  /** Median and 99th percentile of the per-batch ns/op samples. */
  median: number;
  p99: number;
  /** Process-level runs (alternating rounds) and samples behind the figures. */
  runs: number;
  samples: number;
  /**
   * Round trips and micro rows: median / the C baseline's median (lower is better, 1 = as fast as C).
   * Streaming and bulk: the C baseline's median / this median, i.e. the fraction of C's throughput (higher is better).
   */
  vsC?: number;
  /** Round trips only: how many times faster than Bun IPC with the same pinning. */
  vsBunIpc?: number;
  /** The id of the row `vsC` divides by, for rows made outside `summarize` (micro). */
  baseline?: string;
  /** Micro rows on their way from micro.ts to main.ts: every sample, so that runs can be pooled. Not written out. */
  raw?: number[];
}

export function summarize(cases: Case[], samples: Map<string, number[]>, runs: Map<string, number>): Row[] {
  const rows: Row[] = cases.map((c) => {
    const s = samples.get(c.id) ?? [];
    const row: Row = {
      id: c.id,
      group: c.group,
      label: c.label,
      pinned: c.pinned,
      median: median(s),
      p99: p99(s),
      runs: runs.get(c.id) ?? 0,
      samples: s.length,
    };
    if (c.bytes !== undefined) row.bytes = c.bytes;
    if (c.baseline !== undefined) row.baseline = c.baseline;
    return row;
  });
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const [i, c] of cases.entries()) {
    const row = rows[i];
    if (!row || row.samples === 0) continue;
    const base = c.baseline ? byId.get(c.baseline) : undefined;
    if (base && base.samples > 0) {
      row.vsC = c.group === "roundtrip" ? row.median / base.median : base.median / row.median;
    }
    if (c.group === "roundtrip") {
      const ipc = byId.get(`rt-bun-ipc-${c.pinned ? "pinned" : "unpinned"}`);
      if (ipc && ipc.samples > 0) row.vsBunIpc = ipc.median / row.median;
    }
  }
  return rows;
}

/** Fills `vsC` of micro rows (median ÷ their baseline's median) once every row is known. */
export function linkBaselines(rows: Row[]): void {
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const row of rows) {
    const base = row.baseline ? byId.get(row.baseline) : undefined;
    if (row.group === "micro" && base && base.samples > 0) row.vsC = row.median / base.median;
  }
}

export function formatNs(ns: number): string {
  if (!Number.isFinite(ns)) return "–";
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(ns >= 1e5 ? 0 : 1)} µs`;
  return `${ns.toFixed(ns >= 100 ? 0 : 1)} ns`;
}

/** What the median means in the row's own unit: messages/s for streaming, GB/s for bulk. */
export function rate(row: Row): string {
  if (row.group === "stream") return `${(1e3 / row.median).toFixed(1)} M msg/s`;
  if (row.group === "bulk" && row.bytes) return `${(row.bytes / row.median).toFixed(1)} GB/s`;
  return "";
}

const HEADINGS: Record<Group, string> = {
  roundtrip: "Round trip, 64-byte message (lower is better; vs C = ÷ C spin, same pinning)",
  stream: "One-way streaming, 64-byte messages (vs C = fraction of the C ring's throughput)",
  bulk: "Bulk copy into shared memory (vs C = fraction of memcpy's throughput)",
  micro: "Micro (each case in a process of its own; vs C = ÷ baseline)",
};

export function toMarkdown(rows: Row[]): string {
  const out: string[] = [];
  for (const group of Object.keys(HEADINGS) as Group[]) {
    const mine = rows.filter((r) => r.group === group);
    if (mine.length === 0) continue;
    out.push(`\n**${HEADINGS[group]}**\n`);
    out.push("| case | pinned | median | p99 | rate | vs C | vs Bun IPC | runs (samples) |");
    out.push("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const r of mine) {
      const vsC =
        r.vsC === undefined
          ? ""
          : group === "stream" || group === "bulk"
            ? `${(r.vsC * 100).toFixed(0)} %`
            : `${r.vsC.toFixed(2)}×`;
      const vsIpc =
        r.vsBunIpc === undefined || r.id.startsWith("rt-bun-ipc")
          ? ""
          : r.vsBunIpc >= 1
            ? `${r.vsBunIpc.toFixed(r.vsBunIpc >= 10 ? 0 : 2)}× faster`
            : `${(1 / r.vsBunIpc).toFixed(2)}× slower`;
      const label = r.bytes && group !== "bulk" ? `${r.label} ${formatBytes(r.bytes)}` : r.label;
      out.push(
        `| ${label} | ${r.pinned ? "yes" : "no"} | ${formatNs(r.median)} | ${formatNs(r.p99)} | ${rate(r)} | ${vsC} | ${vsIpc} | ${r.runs} (${r.samples}) |`,
      );
    }
  }
  return out.join("\n");
}
