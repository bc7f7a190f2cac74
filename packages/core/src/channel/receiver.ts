import { ShmError } from "../errors.ts";
import {
  DATA_OFFSET,
  SLOT_HEADER,
  W_CLOSED,
  W_DATA_EPOCH,
  W_DATA_SLEEPERS,
  W_SPACE_EPOCH,
  W_SPACE_SLEEPERS,
  W_TAIL,
} from "./layout.ts";
import { assertOpen, type Ring } from "./ring.ts";
import { type ChannelWaitOptions, checkWait, park, parkAsync, spinUntil, unpark } from "./wait.ts";

/**
 * The consuming end of a channel (one per channel at a time). Read a message in place (`peek` → read `bytes` at
 * the offset → `release`), or get a copy (`tryRecv`, `recv`, `for await`).
 *
 * @example
 * ```ts
 * const rx = channel.receiver();
 * const at = rx.peek();                       // offset into rx.bytes, or -1 when empty
 * if (at >= 0) { const price = rx.view.getFloat64(at, true); rx.release(); }
 * const copy = rx.recv({ timeoutMs: 100 });   // Uint8Array, or undefined after 100 ms
 * for await (const message of rx) handle(message); // ends when the sender calls close()
 * ```
 *
 * Restart. `tail`, the next position to read, lives in the segment and moves only in `release()`. A consumer that
 * is killed and attached again resumes at the first message it had not released: nothing committed is lost, and
 * the one message it was holding (peeked, not released) is delivered again: at-least-once for that message.
 *
 * Memory ordering. `peek` reads the slot's seq with `Atomics.load` (an acquire: it pairs with the producer's
 * `Atomics.store`, so the bytes are complete). `release` first stores tail (so a restart resumes after this
 * message; SPSC producers read it as the free space, a release pairing with their acquire), and in MPSC then stores
 * `seq = pos + capacity` (the same release, for producers that look at the slot). If the process dies between
 * the two stores, `attach` finds the slot before tail still unreleased and releases it, so producers never wait
 * on it forever.
 */
export class Receiver implements AsyncIterable<Uint8Array> {
  /** The whole segment, for reading peeked messages in place. */
  readonly bytes: Uint8Array;
  /** A DataView over the whole segment, for reading fields at `offset + n`. */
  readonly view: DataView;
  #ring: Ring;
  #words: Int32Array;
  #tail: number;
  #slot = -1;

  /** @internal use `channel.receiver()`. */
  constructor(ring: Ring) {
    this.#ring = ring;
    this.#words = ring.words;
    this.bytes = ring.bytes;
    this.view = ring.view;
    this.#tail = Atomics.load(ring.words, W_TAIL);
    // Repair after a consumer that died between storing tail and releasing the slots before it (one after
    // release(), up to a batch after drain()): a slot before tail whose seq still says "message for pos" was read
    // but not handed back. They are the positions just before tail; walk back until one was released.
    if (ring.mpsc) {
      let repaired = false;
      for (let n = 1; n <= ring.capacity; n++) {
        const pos = (this.#tail - n) | 0;
        const want = (pos + 1) | 0;
        if (
          Atomics.compareExchange(ring.words, this.#slotOf(pos), want, (pos + ring.capacity) | 0) !== want
        ) {
          break;
        }
        repaired = true;
      }
      if (repaired) this.#wakeProducers();
    }
  }

  /** Length in bytes of the message `peek()` last returned. */
  length = 0;

  /** True once the sender called `close()` (messages may still be waiting). */
  get closed(): boolean {
    assertOpen(this.#ring, "Receiver.closed");
    return Atomics.load(this.#words, W_CLOSED) !== 0;
  }

  /** Messages committed and not yet released, as seen now (a hint: producers may be adding more). */
  get pending(): number {
    assertOpen(this.#ring, "Receiver.pending");
    let n = 0;
    for (let pos = this.#tail; n < this.#ring.capacity; pos = (pos + 1) | 0, n++) {
      if (Atomics.load(this.#words, this.#slotOf(pos)) !== ((pos + 1) | 0)) break;
    }
    return n;
  }

  /**
   * The byte offset of the next message in `bytes`/`view`, or -1 if there is none yet. Sets `length`. The
   * message stays put (and its slot taken) until `release()`; calling `peek` again returns the same one.
   */
  peek(): number {
    assertOpen(this.#ring, "Receiver.peek");
    const pos = this.#tail;
    const slot = (DATA_OFFSET + (pos & this.#ring.mask) * this.#ring.stride) >> 2;
    if (Atomics.load(this.#words, slot) !== ((pos + 1) | 0)) return -1;
    return this.#take(slot);
  }

  /** Frees the peeked message's slot for producers and moves on to the next message. */
  release(): void {
    assertOpen(this.#ring, "Receiver.release");
    const slot = this.#slot;
    if (slot < 0) {
      throw new ShmError({
        code: "ENOPEEK",
        errno: 0,
        syscall: "Receiver.release",
        segment: this.#ring.name,
        detail: "no message is being read; call peek() first",
      });
    }
    const words = this.#words;
    const pos = this.#tail;
    const next = (pos + 1) | 0;
    this.#slot = -1;
    this.#tail = next;
    Atomics.store(words, W_TAIL, next); // release: SPSC producers learn free space from tail alone
    // MPSC producers learn it from the slot. SPSC skips this store: the consumer's test `seq === pos + 1` cannot
    // match a previous lap's `pos + 1 - capacity`, and not writing the slot keeps its cache line with the producer.
    if (this.#ring.mpsc) Atomics.store(words, slot, (pos + this.#ring.capacity) | 0);
    if (Atomics.load(words, W_SPACE_SLEEPERS) !== 0) this.#wakeProducers();
  }

  /** A copy of the next message, released at once; undefined if there is none. */
  tryRecv(): Uint8Array | undefined {
    const at = this.peek();
    if (at < 0) return undefined;
    const copy = this.bytes.slice(at, at + this.length);
    this.release();
    return copy;
  }

  /**
   * A copy of the next message, waiting for one (spin, then sleep). Undefined after the time-out, or at once
   * when the channel is closed and empty. Blocks this thread; `for await` is the non-blocking way.
   */
  recv(options?: ChannelWaitOptions): Uint8Array | undefined {
    const at = this.peekWait(options);
    if (at < 0) return undefined;
    const copy = this.bytes.slice(at, at + this.length);
    this.release();
    return copy;
  }

  /** `peek()`, waiting for a message (spin, then sleep); -1 after the time-out or when closed and empty. */
  peekWait(options?: ChannelWaitOptions): number {
    const first = this.peek();
    if (first >= 0) return first;
    const deadline = checkWait(options);
    const spinEnd = spinUntil;
    const words = this.#words;
    const pos = this.#tail;
    const want = (pos + 1) | 0;
    const slot = this.#slotOf(pos);
    // The cheap poll is a plain read; every 32nd is an Atomics.load, which the JIT may neither hoist nor merge,
    // so the loop sees the producer's store even if the plain reads were hoisted. The hit is then confirmed (and
    // ordered, acquire) by peek()'s Atomics.load.
    for (let i = 1; spinEnd >= 0; i++) {
      if (words[slot] === want || ((i & 31) === 0 && Atomics.load(words, slot) === want)) {
        const at = this.peek();
        if (at >= 0) return at;
      }
      if ((i & 255) === 0) {
        if (performance.now() >= spinEnd) break;
        if ((i & 4095) === 0 && this.closed) return this.peek();
      }
    }
    for (;;) {
      if (this.closed) return this.peek();
      const remaining = deadline - performance.now();
      if (remaining <= 0) return -1;
      Atomics.add(words, W_DATA_SLEEPERS, 1);
      const epoch = Atomics.load(words, W_DATA_EPOCH);
      let at = this.peek();
      if (at < 0) park(this.#ring.dataWord, epoch, remaining);
      Atomics.sub(words, W_DATA_SLEEPERS, 1);
      if (at < 0) at = this.peek();
      if (at >= 0) return at;
    }
  }

  /**
   * Reads up to `max` waiting messages in place, in order, calling `read(offset, length)` for each; returns how
   * many. Does not wait. It releases them as a batch: one store of tail (and one check for sleeping producers)
   * per batch of up to 64 messages instead of one per message, which is most of what a message costs. A consumer
   * killed inside `drain`, or a `read` that throws, may therefore be given up to that batch again (at-least-once).
   */
  drain(read: (offset: number, length: number) => void, max = Number.POSITIVE_INFINITY): number {
    assertOpen(this.#ring, "Receiver.drain");
    this.#slot = -1; // a peeked, unreleased message is the first one drain reads
    const words = this.#words;
    const ring = this.#ring;
    const start = this.#tail;
    let pos = start;
    let n = 0;
    while (n < max) {
      const slot = (DATA_OFFSET + (pos & ring.mask) * ring.stride) >> 2;
      if (Atomics.load(words, slot) !== ((pos + 1) | 0)) break; // acquire, as in peek()
      const at = this.#take(slot);
      this.#slot = -1;
      read(at, this.length);
      pos = (pos + 1) | 0;
      n++;
      if ((n & 63) === 0) this.#releaseTo(pos);
    }
    if (pos !== start && (n & 63) !== 0) this.#releaseTo(pos);
    return n;
  }

  /**
   * Releases every message from the tail up to `pos`. Tail first, then (MPSC) the slots, as in `release()`: a
   * slot handed back to producers before tail moved past it could be refilled for a later lap, and a consumer
   * restarted at the old tail (or this one, after `read` threw) would then wait at that slot forever.
   */
  #releaseTo(pos: number): void {
    const from = this.#tail;
    this.#tail = pos;
    Atomics.store(this.#words, W_TAIL, pos); // release: everything read before this is done with
    // MPSC producers wait on each slot; SPSC producers only on tail (see release()).
    if (this.#ring.mpsc) {
      const capacity = this.#ring.capacity;
      for (let p = from; p !== pos; p = (p + 1) | 0) {
        Atomics.store(this.#words, this.#slotOf(p), (p + capacity) | 0);
      }
    }
    if (Atomics.load(this.#words, W_SPACE_SLEEPERS) !== 0) {
      this.#wakeProducers();
    }
  }

  /**
   * Copies of the messages as they come, without blocking the event loop (while the ring is empty it sleeps in
   * a futex wait on a pool thread). Ends when the sender has called `close()` and every message was read.
   */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const words = this.#words;
    for (;;) {
      const message = this.tryRecv();
      if (message) {
        yield message;
        continue;
      }
      if (this.closed && this.peek() < 0) return;
      // The same sleepers/epoch handshake as peekWait, with the futex wait on a pool thread. The bounded wait
      // only caps how long a lost process could keep us; close() and every commit wake us sooner.
      Atomics.add(words, W_DATA_SLEEPERS, 1);
      const epoch = Atomics.load(words, W_DATA_EPOCH);
      try {
        if (this.peek() < 0 && !this.closed) await parkAsync(this.#ring.dataWord, epoch, 1000);
      } finally {
        // Unless the channel was closed here meanwhile: its memory is gone, and the ECLOSED must not be masked.
        if (words.length !== 0) Atomics.sub(words, W_DATA_SLEEPERS, 1);
      }
    }
  }

  #take(slot: number): number {
    const length = this.#words[slot + 1] ?? 0;
    if (length < 0 || length > this.#ring.maxMessage) {
      throw new ShmError({
        code: "ELAYOUT",
        errno: 0,
        syscall: "Receiver.peek",
        segment: this.#ring.name,
        detail: `corrupt message length ${length} (at most ${this.#ring.maxMessage}); was the segment written by something else?`,
      });
    }
    this.length = length;
    this.#slot = slot;
    return (slot << 2) + SLOT_HEADER;
  }

  #slotOf(pos: number): number {
    return (DATA_OFFSET + (pos & this.#ring.mask) * this.#ring.stride) >> 2;
  }

  #wakeProducers(): void {
    Atomics.add(this.#words, W_SPACE_EPOCH, 1);
    unpark(this.#ring.spaceWord);
  }
}
