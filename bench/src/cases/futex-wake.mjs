// What one libc call through each runtime's FFI costs: WaitWord.notify() on a word nobody waits on, which is one
// syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL) through core's port, exactly what a channel's wake-up of a
// sleeper costs when there is none. The C baseline makes the same syscall; the difference is the FFI trip plus
// notify()'s argument checks. Runs on Bun (core's src), Node and Deno (core's dist). One process, no peer.
import { Segment, WaitWord } from "@shmkit/core";

const argv = process.argv.slice(2);
const get = (flag, fallback) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : fallback);
const batches = Number(get("--batches", "10"));
const per = Number(get("--per", "100000"));
const name = `/shmkit-bench-futex-wake-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
// No `using`: Node 20 and 22 cannot parse it, and this script runs there too (the koffi back-end).
const seg = Segment.create(name, { size: 4096 });
seg.unlink();
try {
  const word = WaitWord.at(seg, 64);
  const wake = () => {
    if (word.notify() !== 0) throw new Error("futex-wake: notify() woke someone, but nobody waits");
  };
  for (let i = 0; i < per; i++) wake();
  const samples = [];
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < per; i++) wake();
    samples.push(Number(process.hrtime.bigint() - start) / per);
  }
  process.stdout.write(`${JSON.stringify({ samples })}\n`);
} finally {
  seg.close();
}
