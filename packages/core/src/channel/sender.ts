import { ShmArgumentError, ShmError } from "../errors.ts";
import {
  DATA_OFFSET,
  SLOT_HEADER,
  W_CLOSED,
  W_DATA_EPOCH,
  W_DATA_SLEEPERS,
  W_HEAD,
  W_SPACE_EPOCH,
  W_SPACE_SLEEPERS,
  W_TAIL,
} from "./layout.ts";
import { assertOpen, type Ring } from "./ring.ts";
import { type ChannelWaitOptions, checkWait, park, spinUntil, unpark } from "./wait.ts";

/**
 * The producing end of a channel: write a message in place (`reserve` → fill → `commit`) or copy one in
 * (`trySend`, `send`). An SPSC channel takes one sender at a time; an MPSC channel takes any number, in any
 * number of processes.
 *
 * @example
 * ```ts
 * const tx = channel.sender();
 * const at = tx.reserve();            // byte offset into tx.bytes, or -1 when the ring is full
 * if (at >= 0) { tx.view.setFloat64(at, price, true); tx.view.setUint32(at + 8, qty, true); tx.commit(12); }
 * tx.send(new TextEncoder().encode("hello"), { timeoutMs: 100 }); // false if still full after 100 ms
 * ```
 *
 * Memory ordering. A slot is `[seq][length][bytes]`. The producer writes bytes and length with plain stores, then
 * publishes them with `Atomics.store(seq = pos + 1)`; JS atomics are sequentially consistent, so that store is a
 * release: a consumer whose `Atomics.load(seq)` sees the new value also sees the bytes. Whether a slot is free:
 * - SPSC: `pos - tail < capacity`, with tail read by `Atomics.load` (an acquire pairing with the consumer's
 *   `Atomics.store(tail)`, so its reads of the old message happen before our writes);
 * - MPSC: the slot's seq equals `pos` (the consumer stored `pos` there, `old pos + capacity`, on release), read
 *   with `Atomics.load` for the same reason; producers claim `pos` by CAS on head.
 */
export class Sender {
  /** The whole segment, for writing reserved messages in place. */
  readonly bytes: Uint8Array;
  /** A DataView over the whole segment, for writing fields at `offset + n`. */
  readonly view: DataView;
  #ring: Ring;
  #words: Int32Array;
  #head = 0;
  /** SPSC: the consumer's tail as last read; the true one is never behind it. */
  #tail = 0;
  #slot = -1;
  #pos = 0;

  /** @internal use `channel.sender()`. */
  constructor(ring: Ring) {
    this.#ring = ring;
    this.#words = ring.words;
    this.bytes = ring.bytes;
    this.view = ring.view;
    // SPSC: the one producer keeps head in a local and mirrors it into the segment, so a restarted producer
    // resumes at the right slot.
    this.#head = Atomics.load(ring.words, W_HEAD);
    this.#tail = Atomics.load(ring.words, W_TAIL);
    if (!ring.mpsc) {
      // A producer that died between publishing a slot (seq = pos + 1) and mirroring head left head behind: skip
      // such slots instead of overwriting a message the consumer may be reading. Older laps hold other values.
      for (let n = 0; n < ring.capacity; n++) {
        const slot = (DATA_OFFSET + (this.#head & ring.mask) * ring.stride) >> 2;
        if (Atomics.load(ring.words, slot) !== ((this.#head + 1) | 0)) break;
        this.#head = (this.#head + 1) | 0;
      }
      Atomics.store(ring.words, W_HEAD, this.#head);
    }
  }

  /** Largest message, in bytes. */
  get maxMessage(): number {
    return this.#ring.maxMessage;
  }

  /**
   * Claims the next slot without blocking and returns the byte offset (into `bytes`/`view`) where the message
   * goes, or -1 if the ring is full. Call `commit(length)` to publish it. In an MPSC channel a claimed slot must be
   * committed: the consumer waits for it in order.
   */
  reserve(): number {
    assertOpen(this.#ring, "Sender.reserve");
    if (this.#slot >= 0) {
      throw new ShmError({
        code: "EBUSY",
        errno: 16, // an errno name carries its errno (Linux EBUSY), as OS errors do
        syscall: "Sender.reserve",
        segment: this.#ring.name,
        detail: "a reserved message is not committed yet; call commit() first",
      });
    }
    const words = this.#words;
    const mask = this.#ring.mask;
    const stride = this.#ring.stride;
    if (!this.#ring.mpsc) {
      // SPSC (Lamport): free space comes from tail, read only when the cached copy says the ring is full. A
      // reserve that loads nothing shared does not stall on a cache miss; the slot writes that follow are
      // misses too, but stores retire through the store buffer without waiting.
      const pos = this.#head;
      if (((pos - this.#tail) | 0) >= this.#ring.capacity) {
        this.#tail = Atomics.load(words, W_TAIL); // acquire: the consumer is done with the slots before tail
        if (((pos - this.#tail) | 0) >= this.#ring.capacity) return -1;
      }
      const slot = (DATA_OFFSET + (pos & mask) * stride) >> 2;
      this.#slot = slot;
      this.#pos = pos;
      return (slot << 2) + SLOT_HEADER;
    }
    // Vyukov's bounded queue: claim a position with CAS on head once its slot shows it is free for this lap.
    let stale = Number.NaN;
    for (;;) {
      const pos = Atomics.load(words, W_HEAD);
      const slot = (DATA_OFFSET + (pos & mask) * stride) >> 2;
      const diff = (Atomics.load(words, slot) - pos) | 0;
      if (diff === 0) {
        if (Atomics.compareExchange(words, W_HEAD, pos, (pos + 1) | 0) === pos) {
          this.#slot = slot;
          this.#pos = pos;
          return (slot << 2) + SLOT_HEADER;
        }
      } else if (diff < 0) {
        return -1; // the consumer has not released this slot's previous lap: full
      } else if (pos === stale) {
        // A correct head cannot be seen twice with diff > 0 (see below): the head word was overwritten, and
        // retrying would spin forever.
        throw new ShmError({
          code: "ECORRUPT",
          errno: 0,
          syscall: "Sender.reserve",
          segment: this.#ring.name,
          detail: `the channel head (${pos}) is behind its slot's sequence (${(pos + diff) | 0}); the header was overwritten: re-create the channel`,
        });
      }
      // diff > 0: another producer claimed pos first; load head again. That producer moved head (CAS) before it
      // published the slot's sequence, and Atomics are sequentially consistent, so the next head we load is past pos.
      stale = pos;
    }
  }

  /** Publishes the reserved message of `length` bytes (default: the largest). */
  commit(length: number = this.#ring.maxMessage): void {
    assertOpen(this.#ring, "Sender.commit");
    const slot = this.#slot;
    if (slot < 0) {
      throw new ShmError({
        code: "ENORESERVE",
        errno: 0,
        syscall: "Sender.commit",
        segment: this.#ring.name,
        detail: "nothing is reserved; call reserve() first",
      });
    }
    if (!(length >= 0 && length <= this.#ring.maxMessage && Number.isInteger(length))) {
      throw new ShmArgumentError("length", `must be an integer from 0 to ${this.#ring.maxMessage}`, length);
    }
    const words = this.#words;
    words[slot + 1] = length;
    const next = (this.#pos + 1) | 0;
    this.#slot = -1;
    Atomics.store(words, slot, next); // release: publishes the bytes and the length
    if (!this.#ring.mpsc) {
      this.#head = next;
      words[W_HEAD] = next;
    }
    // Dekker with a sleeping consumer: it raises DATA_SLEEPERS, then re-reads seq; we stored seq, then read
    // DATA_SLEEPERS. Both are sequentially consistent, so at least one of us sees the other: no lost wake-up.
    if (Atomics.load(words, W_DATA_SLEEPERS) !== 0) {
      Atomics.add(words, W_DATA_EPOCH, 1);
      unpark(this.#ring.dataWord);
    }
  }

  /** Copies `message` into the next slot; false if the ring is full. */
  trySend(message: Uint8Array): boolean {
    this.#checkLength(message);
    const at = this.reserve();
    if (at < 0) return false;
    this.bytes.set(message, at);
    this.commit(message.byteLength);
    return true;
  }

  /**
   * Copies `message` in, waiting while the ring is full: spins, then sleeps. Returns false if the time-out
   * passed first. Blocks this thread; use `trySend` in code that must not block.
   */
  send(message: Uint8Array, options?: ChannelWaitOptions): boolean {
    this.#checkLength(message);
    const at = this.reserveWait(options);
    if (at < 0) return false;
    this.bytes.set(message, at);
    this.commit(message.byteLength);
    return true;
  }

  /** `reserve()`, waiting while the ring is full (spin, then sleep); -1 after the time-out. Blocks this thread. */
  reserveWait(options?: ChannelWaitOptions): number {
    let at = this.reserve();
    if (at >= 0) return at;
    const deadline = checkWait(options);
    const spinEnd = spinUntil;
    const words = this.#words;
    for (let i = 1; spinEnd >= 0; i++) {
      at = this.reserve(); // reserve() reads with Atomics.load, which the JIT cannot hoist out of this loop
      if (at >= 0) return at;
      if ((i & 255) === 0 && performance.now() >= spinEnd) break;
    }
    for (;;) {
      const remaining = deadline - performance.now();
      if (remaining <= 0) return -1;
      Atomics.add(words, W_SPACE_SLEEPERS, 1);
      const epoch = Atomics.load(words, W_SPACE_EPOCH);
      at = this.reserve();
      if (at < 0) park(this.#ring.spaceWord, epoch, remaining);
      Atomics.sub(words, W_SPACE_SLEEPERS, 1);
      if (at < 0) at = this.reserve();
      if (at >= 0) return at;
    }
  }

  /** Copies as many of `messages` as fit now, in order, without blocking; returns how many were sent. */
  sendBatch(messages: readonly Uint8Array[]): number {
    let sent = 0;
    for (const message of messages) {
      if (!this.trySend(message)) break;
      sent++;
    }
    return sent;
  }

  /** Marks the channel finished: the receiver's `for await` ends once it has read everything committed. */
  close(): void {
    assertOpen(this.#ring, "Sender.close");
    Atomics.store(this.#words, W_CLOSED, 1);
    Atomics.add(this.#words, W_DATA_EPOCH, 1);
    unpark(this.#ring.dataWord);
  }

  #checkLength(message: Uint8Array): void {
    if (!(message instanceof Uint8Array))
      throw new ShmArgumentError("message", "must be a Uint8Array", message);
    if (message.byteLength > this.#ring.maxMessage) {
      throw new ShmArgumentError(
        "message",
        `must be at most ${this.#ring.maxMessage} bytes (the channel's messageSize)`,
        `${message.byteLength} bytes`,
      );
    }
  }
}
