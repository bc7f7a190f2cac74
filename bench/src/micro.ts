// In-process micro-benchmarks with mitata: reading and writing a field in shared memory through a typed array and
// through DataView (the baselines generated accessors are held to). Prints {"rows":[…]}.
import { Mutex, Segment } from "@shmkit/core";
import { do_not_optimize, measure } from "mitata";
import type { Row } from "./lib/report.ts";
import { median, p99 } from "./lib/stats.ts";

const quick = process.argv.includes("--quick");
const opts = quick ? { min_cpu_time: 20e6, max_samples: 200 } : { min_cpu_time: 300e6 };

using seg = Segment.anonymous({ size: 4096, label: "shmkit-bench-micro" });
const f64 = new Float64Array(seg.buffer, 0, 64);
const u32 = new Uint32Array(seg.buffer, 0, 128);
const view = new DataView(seg.buffer);

const rows: Row[] = [];
async function row(id: string, label: string, fn: () => unknown, baseline?: string): Promise<void> {
  const stats = await measure(fn, opts);
  const r: Row = {
    id,
    group: "micro",
    label,
    pinned: false,
    median: median(stats.samples),
    p99: p99(stats.samples),
    runs: 1,
    samples: stats.samples.length,
  };
  if (baseline) r.baseline = baseline; // main.ts divides once every row is in
  rows.push(r);
}

let i = 0;
await row("micro-typedarray-rw", "typed array: read+write f64 and u32 field", () => {
  i = (i + 1) & 63;
  f64[8] = (f64[8] ?? 0) + i;
  u32[3] = ((u32[3] ?? 0) + 1) >>> 0;
  do_not_optimize(f64[8]);
});
await row(
  "micro-dataview-rw",
  "DataView: read+write f64 and u32 field",
  () => {
    i = (i + 1) & 63;
    view.setFloat64(64, view.getFloat64(64, true) + i, true);
    view.setUint32(12, (view.getUint32(12, true) + 1) >>> 0, true);
    do_not_optimize(view.getFloat64(64, true));
  },
  "micro-typedarray-rw",
);
// The same robust, error-checking, process-shared mutex as the C row, uncontended.
const mutex = Mutex.init(seg, 512);
await row(
  "micro-shmkit-mutex",
  "shmkit Mutex lock+unlock (robust, errorcheck)",
  () => {
    mutex.lock();
    mutex.unlock();
  },
  "micro-c-mutex",
);
process.stdout.write(`${JSON.stringify({ rows })}\n`);
