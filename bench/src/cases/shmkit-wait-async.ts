// Round trips on one WaitWord where this side awaits waitAsync() (a pool thread sleeps in FUTEX_WAIT and tells
// the event loop) and the child echoes with a blocking wait() that sleeps at once: the cost per wake that
// waitAsync adds over wait(). `--per 1` makes every sample one round trip.
import { Segment, WaitWord } from "@shmkit/core";
import { emit, parseCaseArgs, pinned } from "../lib/protocol.ts";

const args = parseCaseArgs();
/** Round trips before timing starts: the pool thread is spawned and both loops are warm. */
const WARM = 2_000;
const TIMEOUT_MS = 10_000;

if (process.argv[2] === "child") {
  using seg = Segment.open(process.argv[3] ?? "");
  const w = WaitWord.at(seg, 0);
  // Odd values are requests, the next even value the reply; -1 says goodbye.
  for (let value = 0; ; ) {
    while (w.load() === value) w.wait(value, { timeoutMs: TIMEOUT_MS, spinNs: 0 });
    value = w.load();
    if (value < 0) break;
    w.store(++value);
    w.notify();
  }
} else {
  const name = `/shmkit-bench-wait-async-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  using seg = Segment.create(name, { size: 4096 });
  let child: Bun.Subprocess | undefined;
  try {
    const w = WaitWord.at(seg, 0);
    child = Bun.spawn([...pinned(args.cpuB), process.execPath, import.meta.path, "child", name], {
      stdio: ["ignore", "inherit", "inherit"],
    });
    let value = 0;
    const exchange = async (): Promise<void> => {
      w.store(++value);
      w.notify();
      while (w.load() === value) await w.waitAsync(value, { timeoutMs: TIMEOUT_MS });
      if (w.load() !== ++value) throw new Error(`shmkit: expected ${value}, read ${w.load()}`);
    };
    for (let k = 0; k < WARM; k++) await exchange();
    seg.unlink(); // both ends are attached: nothing is left behind even on a crash
    const samples: number[] = [];
    for (let b = 0; b < args.batches; b++) {
      const start = Bun.nanoseconds();
      for (let k = 0; k < args.per; k++) await exchange();
      samples.push((Bun.nanoseconds() - start) / args.per);
    }
    w.store(-1);
    w.notify();
    await child.exited;
    emit(samples);
  } finally {
    child?.kill();
    Segment.unlink(name, { ifExists: true });
  }
}
