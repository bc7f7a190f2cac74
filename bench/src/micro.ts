// In-process micro-benchmarks with mitata: a struct in shared memory read and written through hand-written typed
// arrays, DataView and the layout-gen accessor; uncontended Mutex lock+unlock. Prints {"rows":[…]}.
import { Mutex, Segment } from "@shmkit/core";
import { hostTarget } from "@shmkit/core/targets";
import { do_not_optimize, measure } from "mitata";
import type { Row } from "./lib/report.ts";
import { median, p99 } from "./lib/stats.ts";

// The accessors are generated per target (codegen.ts), and refuse to run on another: take this host's.
type QuoteModule = typeof import("./quote.x86_64-linux-gnu.generated.ts");
const { Quote } = (await import(`./quote.${hostTarget().name}.generated.ts`)) as QuoteModule;

const quick = process.argv.includes("--quick");
// `--only ID` measures one case. main.ts runs every case in a process of its own, in rotating order: measured in one
// process, the cases after the first ran up to 1.4× slower whatever they were (JIT state), which made the order of
// the rows, not the code, decide the ratios.
const onlyAt = process.argv.indexOf("--only");
const only = onlyAt >= 0 ? process.argv[onlyAt + 1] : undefined;
const opts = quick ? { min_cpu_time: 20e6, max_samples: 200 } : { min_cpu_time: 300e6 };

using seg = Segment.anonymous({ size: 4096, label: "shmkit-bench-micro" });
const f64 = new Float64Array(seg.buffer, 0, 64);
const u32 = new Uint32Array(seg.buffer, 0, 128);
const view = new DataView(seg.buffer);

const rows: Row[] = [];
async function row(id: string, label: string, fn: () => unknown, baseline?: string): Promise<void> {
  if (only !== undefined && id !== only) return;
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
    raw: stats.samples,
  };
  if (baseline) r.baseline = baseline; // main.ts divides once every row is in
  rows.push(r);
}

// The same work three ways on a Quote { f64 price; u32 qty; u8 side } at offset 0 of the segment: hand-written
// typed arrays (the target), DataView, and the layout-gen accessor, whose target is ≤ 1.1× the typed arrays.
const u8 = new Uint8Array(seg.buffer, 0, 64);
const quote = Quote.attach(seg, 0);
let i = 0;
await row("micro-typedarray-rw", "hand-written typed arrays: Quote read+write", () => {
  i = (i + 1) & 63;
  f64[0] = (f64[0] ?? 0) + i;
  u32[2] = ((u32[2] ?? 0) + 1) >>> 0;
  u8[12] = i;
  do_not_optimize(f64[0]);
});
await row(
  "micro-dataview-rw",
  "DataView getters/setters: Quote read+write",
  () => {
    i = (i + 1) & 63;
    view.setFloat64(0, view.getFloat64(0, true) + i, true);
    view.setUint32(8, (view.getUint32(8, true) + 1) >>> 0, true);
    view.setUint8(12, i);
    do_not_optimize(view.getFloat64(0, true));
  },
  "micro-typedarray-rw",
);
await row(
  "micro-accessor-rw",
  "layout-gen accessor: Quote read+write",
  () => {
    i = (i + 1) & 63;
    quote.price += i;
    quote.qty = (quote.qty + 1) >>> 0;
    quote.side = i;
    do_not_optimize(quote.price);
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
