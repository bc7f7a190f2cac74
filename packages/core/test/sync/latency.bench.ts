// Cross-process ping-pong on one WaitWord: `bun test/sync/latency.bench.ts [rounds]`.
// Reports the round-trip time for a waiter that spins first (the default), one that sleeps at once (spinNs 0),
// one that spins and is never notified, and waitAsync (a pool thread sleeps, the event loop is told), plus an uncontended Mutex lock/unlock pair.
// A benchmark, not a test: numbers depend on the machine and its load.
import { Mutex, Segment, WaitWord } from "../../src/index.ts";
import { libc } from "../../src/internal/libc/index.ts";

// CLOCK_MONOTONIC in µs, comparable between processes (process.hrtime in Bun is not: it counts from process start).
const clockWords = new Uint32Array(4);
function monotonicMicros(): number {
  libc().clock_gettime(1, clockWords);
  return (
    ((clockWords[0] as number) + (clockWords[1] as number) * 2 ** 32) * 1e6 + (clockWords[2] as number) / 1e3
  );
}

const [role, name, modeArg, roundsArg] = process.argv.slice(2);

// "spin-only": both sides spin and never call notify(), to show what the FUTEX_WAKE syscalls cost.
type Mode = "spin" | "spin-only" | "futex" | "async";

// Sync modes stay out of async functions: an await per round would add a microtask hop to what is measured.
function waitWhile(w: WaitWord, value: number, mode: Exclude<Mode, "async">): void {
  const spinNs = mode === "spin" ? 10_000 : mode === "spin-only" ? 1e9 : 0;
  while (w.load() === value) w.wait(value, { timeoutMs: 10_000, spinNs });
}

async function waitWhileAsync(w: WaitWord, value: number): Promise<void> {
  while (w.load() === value) await w.waitAsync(value, { timeoutMs: 10_000 });
}

if (role === "waker" && name) {
  // Wake-latency side: when asked (odd value), waits 1 ms so that the other side is asleep, stamps the time
  // (CLOCK_MONOTONIC, the same clock in every process) and wakes it. It sleeps between rounds rather than spin:
  // a spinner holding one of two cores delays the wake-up it measures by a scheduler tick (~3 ms) one time in 10.
  using seg = Segment.open(name);
  const w = WaitWord.at(seg, 0);
  const stamp = new Float64Array(seg.buffer, 8, 1);
  const rounds = Number(roundsArg);
  for (let i = 0; i < rounds; i++) {
    waitWhile(w, 2 * i, "futex");
    Bun.sleepSync(1);
    stamp[0] = monotonicMicros();
    w.store(2 * i + 2);
    w.notify();
  }
} else if (role === "child" && name) {
  // The echo side: waits for an odd value, answers with the next even one. Sync waits only.
  using seg = Segment.open(name);
  const w = WaitWord.at(seg, 0);
  const mode = (modeArg ?? "spin") as Mode;
  const rounds = Number(roundsArg);
  for (let i = 0; i < rounds; i++) {
    waitWhile(w, 2 * i, mode === "async" ? "futex" : mode);
    w.store(2 * i + 2);
    if (mode !== "spin-only") w.notify();
  }
} else {
  const rounds = Number(role ?? 20_000);
  const report: Record<string, string> = {};
  for (const mode of ["spin", "spin-only", "futex", "async"] as Mode[]) {
    const segName = `/shmkit-bench-${process.pid}-${mode}`;
    using seg = Segment.create(segName, { size: 4096 });
    try {
      const w = WaitWord.at(seg, 0);
      const n = mode === "async" ? Math.min(rounds, 5_000) : rounds;
      const childMode = mode === "async" ? "futex" : mode;
      const child = Bun.spawn([process.execPath, import.meta.path, "child", segName, childMode, String(n)], {
        stdout: "inherit",
        stderr: "inherit",
        timeout: 120_000,
      });
      const start = performance.now();
      for (let i = 0; i < n; i++) {
        w.store(2 * i + 1);
        if (mode !== "spin-only") w.notify();
        if (mode === "async") await waitWhileAsync(w, 2 * i + 1);
        else waitWhile(w, 2 * i + 1, mode);
      }
      const elapsed = performance.now() - start;
      await child.exited;
      report[`round trip, ${mode === "async" ? "waitAsync (echo sleeps at once)" : `wait, ${mode}`}`] =
        `${((elapsed / n) * 1000).toFixed(2)} µs (${n} rounds)`;
    } finally {
      seg.unlink();
    }
  }
  {
    const segName = `/shmkit-bench-${process.pid}-mutex`;
    using seg = Segment.create(segName, { size: 4096 });
    try {
      const m = Mutex.init(seg, 0);
      const n = 1_000_000;
      const start = performance.now();
      for (let i = 0; i < n; i++) {
        m.lock();
        m.unlock();
      }
      report["Mutex lock+unlock, uncontended"] = `${(((performance.now() - start) / n) * 1e6).toFixed(0)} ns`;
    } finally {
      seg.unlink();
    }
  }
  for (const mode of ["futex", "async"] as const) {
    // Wake latency: from the other process's notify() to this waiter running JS again.
    const segName = `/shmkit-bench-${process.pid}-wake-${mode}`;
    using seg = Segment.create(segName, { size: 4096 });
    try {
      const w = WaitWord.at(seg, 0);
      const stamp = new Float64Array(seg.buffer, 8, 1);
      const n = 1_000;
      const child = Bun.spawn(
        [process.execPath, import.meta.path, "waker", segName, "spin-only", String(n)],
        {
          stdout: "inherit",
          stderr: "inherit",
          timeout: 120_000,
        },
      );
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        w.store(2 * i + 1);
        w.notify();
        if (mode === "async") await waitWhileAsync(w, 2 * i + 1);
        else waitWhile(w, 2 * i + 1, "futex");
        samples.push(monotonicMicros() - (stamp[0] as number));
      }
      await child.exited;
      samples.sort((a, b) => a - b);
      const at = (q: number) => (samples[Math.floor(q * (samples.length - 1))] as number).toFixed(1);
      report[`wake latency, ${mode === "async" ? "waitAsync" : "wait (spinNs 0)"}`] =
        `median ${at(0.5)} µs, p90 ${at(0.9)} µs (${n} wakes)`;
    } finally {
      seg.unlink();
    }
  }
  console.log(JSON.stringify({ cpus: navigator.hardwareConcurrency, bun: Bun.version, ...report }, null, 2));
}
