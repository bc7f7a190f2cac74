import { Channel, Segment } from "@shmkit/core";
import { runPrefix } from "../names.ts";
import { Rng } from "../rng.ts";
import { MESSAGE_SIZE } from "./message.ts";
import { BITMAP_OFFSET, MAX_PRODUCERS, MAX_SEEN, P, progressSize } from "./progress.ts";

const CHILD = `${import.meta.dir}/child.ts`;

export interface ChannelOptions {
  messages: number;
  /** 1: an SPSC channel; more: an MPSC channel with that many producer processes (seq p, p+P, … each). */
  producers: number;
  /** Times the consumer is SIGKILLed mid-run and started again. */
  restarts: number;
  seed: number;
  capacity: number;
  /** The consumer is killed after a random `killAfterMs[0]` to `killAfterMs[1]` ms of consuming. */
  killAfterMs: readonly [number, number];
  /** The whole run fails as a hang after this long. */
  timeoutMs: number;
  /** Test hook: the consumer drops this seq, as a channel that lost it would. */
  skipSeq?: number;
  /** Test hook: the first consumer SIGKILLs itself holding this seq (peeked, not released); one restart follows. */
  dieHolding?: number;
}

export interface ChannelReport {
  messages: number;
  producers: number;
  received: number;
  lost: number;
  duplicated: number;
  reordered: number;
  corrupt: number;
  redelivered: number;
  /** Consumers killed while the stream was still running. */
  restarts: number;
  hung: boolean;
  failures: string[];
  seed: number;
  ms: number;
}

function popcount(bytes: Uint8Array): number {
  let n = 0;
  for (let b of bytes) {
    while (b) {
      b &= b - 1;
      n++;
    }
  }
  return n;
}

/**
 * A producer process sends `messages` sequence-numbered, checksummed messages through an SPSC channel; a consumer
 * process checks each one against a bitmap in a second segment. The consumer is SIGKILLed at random moments and
 * started again `restarts` times. At the end every message must have arrived exactly once, in order, intact.
 */
export async function runChannel(options: ChannelOptions): Promise<ChannelReport> {
  const started = performance.now();
  const rng = new Rng(options.seed);
  const prefix = runPrefix("chan");
  const name = `/${prefix}ring`;
  const progressName = `/${prefix}progress`;
  const failures: string[] = [];
  if (options.producers < 1 || options.producers > MAX_PRODUCERS) throw new RangeError("producers: 1 to 16");
  const kind = options.producers === 1 ? "spsc" : "mpsc";
  using channel = Channel.create(name, { kind, messageSize: MESSAGE_SIZE, capacity: options.capacity });
  using progress = Segment.create(progressName, { size: progressSize(options.messages) });
  let restarts = 0;
  let hung = false;
  const spawn = (args: string[]) =>
    Bun.spawn([process.execPath, CHILD, ...args], {
      stdout: "ignore",
      stderr: "pipe",
      env: {
        ...process.env,
        SHMKIT_RELIABILITY_SKIP_SEQ: String(options.skipSeq ?? -1),
        SHMKIT_RELIABILITY_DIE_HOLDING: String(options.dieHolding ?? -1),
      },
    });
  const p = new Int32Array(progress.buffer, 0, MAX_SEEN + MAX_PRODUCERS);
  p.set([-1, -1, -1], P.seen);
  p.fill(-1, MAX_SEEN);
  const P_ = String(options.producers);
  const producerProcs = Array.from({ length: options.producers }, (_, k) =>
    spawn(["produce", name, String(options.messages), String(k), P_]),
  );
  const consume = () => spawn(["consume", name, progressName, P_]);
  let consumer = consume();
  // Bun leaves exitCode null for a signal death; either field set means the process is gone.
  const gone = (child: typeof consumer) => child.exitCode !== null || child.signalCode !== null;
  let selfKills = 0;
  let killedAtEnd = false;
  // Several producers: close the channel for them once all are done, so the consumer sees the end.
  const producersDone = Promise.all(producerProcs.map((c) => c.exited)).then(() => {
    if (options.producers > 1 && !channel.segment.closed) channel.sender().close();
  });
  try {
    const deadline = performance.now() + options.timeoutMs;
    while (Atomics.load(p, P.done) === 0) {
      if (performance.now() > deadline) {
        hung = true;
        break;
      }
      if (gone(consumer) && options.dieHolding !== undefined && selfKills === 0) {
        selfKills++;
        consumer = consume();
        continue;
      }
      if (restarts < options.restarts) {
        await Bun.sleep(rng.int(options.killAfterMs[0], options.killAfterMs[1]));
        if (gone(consumer)) break;
        if (Atomics.load(p, P.done) !== 0) continue;
        consumer.kill("SIGKILL");
        await consumer.exited;
        // The consumer may have read the end between the check above and the kill: then it was killed on its way
        // out, by us, and that is not its failure.
        if (Atomics.load(p, P.done) !== 0) {
          killedAtEnd = true;
          break;
        }
        restarts++;
        consumer = consume();
        continue;
      }
      if (gone(consumer)) break;
      await Bun.sleep(5);
    }
    // The producers are done (or finishing) once the consumer has read the end; otherwise stop them.
    const finished = !hung && Atomics.load(p, P.done) === 1;
    if (finished) await producersDone;
    const all = [["consumer", consumer] as const, ...producerProcs.map((c) => ["producer", c] as const)];
    for (const [who, child] of all) {
      if (!finished) child.kill("SIGKILL");
      await child.exited;
      const oursAtEnd = who === "consumer" && killedAtEnd && child.signalCode === "SIGKILL";
      if (child.exitCode !== 0 && !oursAtEnd && (finished || who === "consumer") && !hung) {
        const err = (await new Response(child.stderr).text()).trim().slice(-400);
        failures.push(`${who} ended with exit ${child.exitCode}, signal ${child.signalCode}: ${err}`);
      }
    }
  } finally {
    for (const child of producerProcs) child.kill("SIGKILL");
    consumer.kill("SIGKILL");
    channel.unlink();
    progress.unlink();
  }
  const received = popcount(new Uint8Array(progress.buffer, BITMAP_OFFSET, Math.ceil(options.messages / 8)));
  const report: ChannelReport = {
    messages: options.messages,
    producers: options.producers,
    received,
    lost: options.messages - received,
    duplicated: Atomics.load(p, P.duplicated),
    reordered: Atomics.load(p, P.reordered),
    corrupt: Atomics.load(p, P.corrupt),
    redelivered: Atomics.load(p, P.redelivered),
    restarts,
    hung,
    failures,
    seed: options.seed,
    ms: performance.now() - started,
  };
  if (hung) failures.push(`no end of stream after ${options.timeoutMs} ms (${received} received)`);
  for (const what of ["lost", "duplicated", "reordered", "corrupt"] as const) {
    if (report[what] !== 0) failures.push(`${report[what]} messages ${what} (seed ${options.seed})`);
  }
  return report;
}

/** `channels: 10000000 messages, 0 lost, 0 duplicated, 0 reordered, …` */
export function summarizeChannel(r: ChannelReport): string {
  return (
    `channels (${r.producers === 1 ? "spsc" : `mpsc, ${r.producers} producers`}): ${r.messages} messages, ${r.lost} lost, ${r.duplicated} duplicated, ${r.reordered} reordered, ` +
    `${r.corrupt} corrupt, ${r.hung ? 1 : 0} hangs; consumer killed and restarted ${r.restarts} times ` +
    `(${r.redelivered} held messages redelivered; ${(r.ms / 1000).toFixed(1)} s, ` +
    `${Math.round(r.messages / (r.ms / 1000)).toLocaleString("en")} msg/s, seed ${r.seed})` +
    (r.failures.length ? " FAILED" : "")
  );
}
