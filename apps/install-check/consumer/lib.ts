// The app's shmkit code, kept free of runtime globals (no Bun, no Node types) so that it typechecks under every
// tsconfig the check uses; main.ts starts the processes.
import { Channel, Mutex, Segment, WaitWord } from "@shmkit/core";
import { Tally } from "./shared.generated.js";

export const ROUNDS = 500;

/** Creates the typed segment, the channel and a wait word; `spawnChild` starts the other process. */
export async function parent(name: string, spawnChild: () => Promise<number>): Promise<string> {
  const robust = Mutex.robustSupported;
  using tally = Tally.create(name, { robust, init: (t) => (t.label = "install-check") });
  using channel = Channel.create(`${name}-ch`, { messageSize: 32, capacity: 8 });
  using flag = Segment.create(`${name}-flag`, { size: 64 });
  try {
    const word = WaitWord.at(flag, 0);
    const child = spawnChild();
    // waitAsync: the child stores 1 and wakes once it has opened everything; the event loop stays free.
    while (word.load() === 0) {
      if ((await word.waitAsync(0, { timeoutMs: 20_000 })) === "timed-out")
        throw new Error("no signal from the child");
    }
    for (let i = 0; i < ROUNDS; i++) tally.data.lock.withLock(() => (tally.data.count += 1));
    const messages: string[] = [];
    for await (const m of channel.receiver()) messages.push(new TextDecoder().decode(m));
    const code = await child;
    return `${code} ${tally.data.count} ${tally.data.label} ${messages.join(",")}`;
  } finally {
    tally.unlink();
    channel.segment.unlink();
    flag.unlink();
  }
}

/** The other process: opens all three, increments under the lock, sends what it did and closes the channel. */
export async function child(name: string): Promise<void> {
  using tally = await Tally.openAsync(name, { timeoutMs: 20_000 });
  using channel = Channel.open(`${name}-ch`);
  using flag = Segment.open(`${name}-flag`);
  const tx = channel.sender();
  const word = WaitWord.at(flag, 0);
  word.store(1);
  word.notify();
  for (let i = 0; i < ROUNDS; i++) tally.data.lock.withLock(() => (tally.data.count += 1));
  tx.send(new TextEncoder().encode(`child-${ROUNDS}`), { timeoutMs: 20_000 });
  tx.close();
}
