// Bulk messages (--bytes) through a shmkit channel in one process: trySend copies the message into the
// shared ring (one memcpy, as C's baseline does), then the consumer side peeks and releases it in place.
import { Channel, Segment } from "@shmkit/core";
import { emit, parseCaseArgs } from "../lib/protocol.ts";

const args = parseCaseArgs();
const name = `/shmkit-bench-bulk-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
try {
  // Two slots, the fewest a ring has: the copy lands in one of two buffers, close to C's one.
  using ch = Channel.create(name, { messageSize: args.bytes, capacity: 2 });
  ch.unlink();
  const tx = ch.sender();
  const rx = ch.receiver();
  const message = new Uint8Array(args.bytes).fill(7);
  const samples: number[] = [];
  // JIT warm-up (and first touch of both slots) before timing; C needs none.
  for (let b = -1; b < args.batches; b++) {
    const start = Bun.nanoseconds();
    for (let k = 0, n = b < 0 ? Math.max(args.per, 2000) : args.per; k < n; k++) {
      message[0] = k & 0xff;
      if (!tx.trySend(message)) throw new Error("bulk: ring full");
      const at = rx.peek();
      if (at < 0 || rx.bytes[at] !== (k & 0xff)) throw new Error("bulk: message missing");
      rx.release();
    }
    if (b >= 0) samples.push((Bun.nanoseconds() - start) / args.per);
  }
  emit(samples);
} finally {
  Segment.unlink(name, { ifExists: true });
}
