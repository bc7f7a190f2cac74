// An uncontended lock()+unlock() of a robust, process-shared mutex through @shmkit/core's dist, for Node and
// Deno: what one trip through each runtime's FFI costs, beside the C and Bun rows. One process, no peer.
import { Mutex, Segment } from "@shmkit/core";

const argv = process.argv.slice(2);
const get = (flag, fallback) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);
const batches = Number(get("--batches", "10"));
const per = Number(get("--per", "100000"));
const name = `/shmkit-bench-mutex-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
// No `using`: Node 20 and 22 cannot parse it, and this script runs there too (the koffi back-end).
const seg = Segment.create(name, { size: 4096 });
seg.unlink();
try {
  const mutex = Mutex.init(seg, 512, { robust: Mutex.robustSupported });
  for (let i = 0; i < per; i++) {
    mutex.lock();
    mutex.unlock();
  }
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < per; i++) {
      mutex.lock();
      mutex.unlock();
    }
    samples.push(Number(process.hrtime.bigint() - start) / per);
  }
  process.stdout.write(`${JSON.stringify({ samples })}\n`);
} finally {
  seg.close();
}
