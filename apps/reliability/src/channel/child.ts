// The producer and the consumer of the channel check. Usage:
//   bun child.ts produce <channel> <messages>
//   bun child.ts consume <channel> <progress>
// Exit 0 when done; any other end is a failure the parent reports.
import { Channel, Segment } from "@shmkit/core";
import { MESSAGE_SIZE, readMessage, writeMessage } from "./message.ts";
import { BITMAP_OFFSET, P } from "./progress.ts";

const [command, name = "", arg = ""] = process.argv.slice(2);
const WAIT = { timeoutMs: 120_000 };

if (command === "produce") {
  using channel = Channel.open(name, { messageSize: MESSAGE_SIZE });
  const tx = channel.sender();
  const messages = Number(arg);
  for (let seq = 0; seq < messages; seq++) {
    const at = tx.reserveWait(WAIT);
    if (at < 0) throw new Error(`producer: no free slot for ${WAIT.timeoutMs} ms at seq ${seq}`);
    tx.commit(writeMessage(tx.view, tx.bytes, at, seq));
  }
  tx.close();
} else if (command === "consume") {
  using channel = Channel.open(name, { messageSize: MESSAGE_SIZE });
  using progress = Segment.open(arg);
  const p = new Int32Array(progress.buffer, 0, 16);
  const bitmap = new Uint8Array(progress.buffer, BITMAP_OFFSET);
  const rx = channel.receiver();
  Atomics.add(p, P.starts, 1);
  let first = true;
  // Fault injection for the suite's own test: pretend this message never arrived.
  const skip = Number(process.env.SHMKIT_RELIABILITY_SKIP_SEQ ?? -1);
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
      if (first && seq === Atomics.load(p, P.seen) && seq === released + 1) Atomics.add(p, P.redelivered, 1);
      else if (seen) Atomics.add(p, P.duplicated, 1);
      else if (seq < Atomics.load(p, P.maxSeen)) Atomics.add(p, P.reordered, 1);
      Atomics.store(p, P.seen, seq);
      bitmap[seq >> 3] = (bitmap[seq >> 3] ?? 0) | bit;
      if (seq > Atomics.load(p, P.maxSeen)) Atomics.store(p, P.maxSeen, seq);
    }
    first = false;
    rx.release();
    if (seq >= 0) Atomics.store(p, P.released, seq);
  }
} else {
  throw new Error(`unknown command ${command}`);
}
