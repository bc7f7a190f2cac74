// One consumer child: takes items from the shared queue until the producer closes it, then reports what it took
// as one JSON line on stdout, for the parent to check.
//   (started by main.ts) bun consumer.ts <segment> <id>
import { Queue } from "./queue.generated.ts";

const [name, id] = process.argv.slice(2);
if (!name || !id) {
  console.error("usage: consumer.ts <segment> <id>");
  process.exit(2);
}
// If the parent dies, waits end by time-out and the deadline ends this process: no orphan hangs forever.
const deadline = Date.now() + 30_000;

// open() checks the typed-segment header (magic, layout fingerprint) and waits until the creator marked it ready.
using shm = Queue.open(name, { timeoutMs: 10_000 });
const q = shm.data;
const taken: number[] = [];

for (;;) {
  const item = q.mutex.withLock(() => {
    // Wake-ups can be spurious, and another consumer may have taken the item first: re-check in a loop.
    while (q.count === 0 && q.closed === 0) {
      if (Date.now() > deadline) throw new Error(`consumer ${id}: gave up waiting for items`);
      q.not_empty.wait(q.mutex, { timeoutMs: 1000 });
    }
    if (q.count === 0) return undefined; // closed and drained
    const value = q.items[q.head] as number; // head < items.length: always in the ring
    q.head = (q.head + 1) % q.items.length;
    q.count -= 1;
    q.not_full.signal(); // there is room again
    return value;
  });
  if (item === undefined) break;
  taken.push(item);
}

console.log(JSON.stringify({ id: Number(id), pid: process.pid, items: taken }));
