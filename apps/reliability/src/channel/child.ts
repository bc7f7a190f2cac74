// The producer and the consumer of the channel check. Usage:
//   bun child.ts produce <channel> <messages> [<producer> <producers>]   sends seq producer, producer+P, … < messages
//   bun child.ts consume <channel> <progress> <producers>
// Exit 0 when done; any other end is a failure the parent reports.
import { Channel, Segment } from "@shmkit/core";
import { MESSAGE_SIZE, readMessage, writeMessage } from "./message.ts";
import { BITMAP_OFFSET, MAX_PRODUCERS, MAX_SEEN, P } from "./progress.ts";

const [command, name = "", arg = "", arg2 = "0", arg3 = "1"] = process.argv.slice(2);
const WAIT = { timeoutMs: 120_000 };

if (command === "produce") {
  using channel = Channel.open(name, { messageSize: MESSAGE_SIZE });
  const tx = channel.sender();
  const messages = Number(arg);
  const producers = Number(arg3);
  for (let seq = Number(arg2); seq < messages; seq += producers) {
    const at = tx.reserveWait(WAIT);
    if (at < 0) throw new Error(`producer: no free slot for ${WAIT.timeoutMs} ms at seq ${seq}`);
    tx.commit(writeMessage(tx.view, tx.bytes, at, seq));
  }
  // With several producers, the parent closes the channel once all of them are done.
  if (producers === 1) tx.close();
} else if (command === "consume") {
  using channel = Channel.open(name, { messageSize: MESSAGE_SIZE });
  using progress = Segment.open(arg);
  const producers = Number(arg2);
  const p = new Int32Array(progress.buffer, 0, MAX_SEEN + MAX_PRODUCERS);
  const bitmap = new Uint8Array(progress.buffer, BITMAP_OFFSET);
  const rx = channel.receiver();
  Atomics.add(p, P.starts, 1);
  let first = true;
  // Fault injection for the suite's own test: pretend this message never arrived.
  const skip = Number(process.env.SHMKIT_RELIABILITY_SKIP_SEQ ?? -1);
  // …or make the first consumer die holding this message (peeked and recorded, not released).
  const dieHolding =
    Atomics.load(p, P.starts) === 1 ? Number(process.env.SHMKIT_RELIABILITY_DIE_HOLDING ?? -1) : -1;
  for (;;) {
    const at = rx.peekWait(WAIT);
    if (at < 0) {
      if (!rx.closed) throw new Error(`consumer: no message for ${WAIT.timeoutMs} ms`);
      Atomics.store(p, P.done, 1);
      break;
    }
    const seq = readMessage(rx.view, rx.bytes, at, rx.length);
    if (seq === skip) {
      // dropped on purpose
    } else if (seq < 0) {
      Atomics.add(p, P.corrupt, 1);
    } else {
      const released = Atomics.load(p, P.released);
      const bit = 1 << (seq & 7);
      const seen = ((bitmap[seq >> 3] ?? 0) & bit) !== 0;
      // The one message a killed consumer held (peeked, not released) comes again: at-least-once, by design.
      // (It is the last one seen and not the last one released; with several producers seqs are not consecutive.)
      const lastSeen = Atomics.load(p, P.seen);
      if (first && seq === lastSeen && lastSeen !== released) Atomics.add(p, P.redelivered, 1);
      else if (seen) Atomics.add(p, P.duplicated, 1);
      // Each producer's messages must come in its order; different producers interleave freely.
      const maxSeen = MAX_SEEN + (seq % producers);
      if (!seen && seq < Atomics.load(p, maxSeen)) Atomics.add(p, P.reordered, 1);
      Atomics.store(p, P.seen, seq);
      bitmap[seq >> 3] = (bitmap[seq >> 3] ?? 0) | bit;
      if (seq > Atomics.load(p, maxSeen)) Atomics.store(p, maxSeen, seq);
    }
    first = false;
    if (seq === dieHolding) process.kill(process.pid, "SIGKILL");
    rx.release();
    if (seq >= 0) Atomics.store(p, P.released, seq);
  }
} else {
  throw new Error(`unknown command ${command}`);
}
