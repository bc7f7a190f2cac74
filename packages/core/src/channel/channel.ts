import { ShmArgumentError, ShmError } from "../errors.ts";
import { Segment } from "../segment.ts";
import { WaitWord } from "../sync/wait-word.ts";
import { claim, unclaim } from "./claim.ts";
import {
  type ChannelKind,
  type ChannelShape,
  DATA_OFFSET,
  readHeader,
  shapeOf,
  W_CONSUMER,
  W_DATA_EPOCH,
  W_PRODUCER,
  W_READY,
  W_SPACE_EPOCH,
  writeHeader,
} from "./layout.ts";
import { Receiver } from "./receiver.ts";
import type { Ring } from "./ring.ts";
import { Sender } from "./sender.ts";

/**
 * A struct messages are made of: a layout-gen generated class has both (`Quote.SIZE`, `Quote.FINGERPRINT`), so
 * `{ of: Quote }` sizes the slots for it and ties the channel to its layout and target.
 */
export interface MessageLayout {
  readonly SIZE: number;
  readonly FINGERPRINT: string;
}

export interface ChannelOptions {
  /** The struct every message is; sets `messageSize` and `fingerprint` from it. */
  of?: MessageLayout;
  /** `"spsc"` (default): one producer and one consumer. `"mpsc"`: any number of producers, one consumer. */
  kind?: ChannelKind;
  /** Number of slots, a power of two (default 1024). */
  capacity?: number;
  /** Largest message in bytes; every slot has room for one (8 bytes of slot header are added). Required without `of`. */
  messageSize?: number;
  /**
   * A tag of what the messages are, such as a layout-gen layout fingerprint. Its hash goes into the header, and
   * `Channel.open` with a different one fails with ELAYOUT.
   */
  fingerprint?: string;
  /** Permission bits of the segment (default 0o600). */
  mode?: number;
}

export interface OpenChannelOptions {
  /** Fail with ELAYOUT unless the channel was made `of` this struct (same size and layout fingerprint). */
  of?: MessageLayout;
  /** Fail with ELAYOUT unless the channel is of this kind. */
  kind?: ChannelKind;
  /** Fail with ELAYOUT unless the channel's messageSize is exactly this. */
  messageSize?: number;
  /** Fail with ELAYOUT unless the channel was created with this fingerprint. */
  fingerprint?: string;
  /** How long to wait for a creator that is still writing the header (default 1000 ms). */
  readyTimeoutMs?: number;
}

/**
 * A lock-free ring buffer of messages in a shared memory segment, between processes: SPSC or MPSC, fixed-size
 * slots holding messages of up to `messageSize` bytes.
 *
 * @example
 * ```ts
 * // process A
 * using ch = Channel.create("/quotes", { messageSize: 64, capacity: 1024 });
 * const tx = ch.sender();
 * tx.send(bytes, { timeoutMs: 1000 });
 * // process B
 * using ch = Channel.open("/quotes", { messageSize: 64 });
 * const rx = ch.receiver();
 * for await (const message of rx) console.log(message);
 *
 * // Messages of a layout-gen struct, read in place (no copy); open() refuses a different layout or target.
 * using quotes = Channel.create("/quotes2", { of: Quote });
 * const at = rx2.peek(); if (at >= 0) { const q = Quote.attach(quotes.segment, at); use(q.price); rx2.release(); }
 * ```
 *
 * Safety: `sender().bytes`/`receiver().bytes` point at shared memory. Write only inside a reserved slot and read
 * only inside a peeked one; the offsets they return are all you need. A process that dies holding an MPSC
 * reservation stalls the consumer at that slot (SPSC: a restarted producer simply reserves it again).
 */
export class Channel implements Disposable {
  readonly segment: Segment;
  readonly kind: ChannelKind;
  readonly capacity: number;
  /** Largest message in bytes. */
  readonly messageSize: number;
  #ring: Ring;

  private constructor(segment: Segment, shape: ChannelShape) {
    this.segment = segment;
    this.kind = shape.kind;
    this.capacity = shape.capacity;
    this.messageSize = shape.maxMessage;
    this.#ring = {
      name: segment.name,
      words: new Int32Array(segment.buffer, 0, shape.size >> 2),
      bytes: segment.bytes,
      view: new DataView(segment.buffer),
      mask: shape.capacity - 1,
      capacity: shape.capacity,
      stride: shape.stride,
      maxMessage: shape.maxMessage,
      mpsc: shape.kind === "mpsc",
      dataWord: WaitWord.at(segment, W_DATA_EPOCH * 4),
      spaceWord: WaitWord.at(segment, W_SPACE_EPOCH * 4),
    };
  }

  /** Creates the segment (O_EXCL, mode 0600 by default), writes the header and marks the channel ready. */
  static create(name: string, options: ChannelOptions): Channel {
    const shape = shapeFromOptions(options);
    const segment = Segment.create(name, {
      size: shape.size,
      ...(options.mode === undefined ? {} : { mode: options.mode }),
    });
    try {
      return Channel.#init(segment, shape);
    } catch (error) {
      segment.close();
      segment.unlink();
      throw error;
    }
  }

  /** A channel in an anonymous segment, for a parent and the children it hands `channel.segment.fd` to. */
  static anonymous(options: ChannelOptions): Channel {
    const shape = shapeFromOptions(options);
    return Channel.#init(Segment.anonymous({ size: shape.size, label: "shmkit-channel" }), shape);
  }

  /** Opens an existing channel and checks its header against `expect` before anything else (ELAYOUT on mismatch). */
  static open(name: string, expect: OpenChannelOptions = {}): Channel {
    return Channel.#attach(Segment.open(name, { minSize: DATA_OFFSET }), expect);
  }

  /** Maps a channel from an inherited descriptor (see `Channel.anonymous`). */
  static fromFd(fd: number, expect: OpenChannelOptions = {}): Channel {
    return Channel.#attach(Segment.fromFd(fd), expect);
  }

  static #init(segment: Segment, shape: ChannelShape): Channel {
    const words = new Int32Array(segment.buffer, 0, shape.size >> 2);
    writeHeader(words, shape);
    // Vyukov's invariant: slot i starts with seq = i, "free for position i".
    for (let i = 0; i < shape.capacity; i++) words[(DATA_OFFSET + i * shape.stride) >> 2] = i;
    Atomics.store(words, W_READY, 1); // publish: everything above happens before an opener sees ready
    return new Channel(segment, shape);
  }

  static #attach(segment: Segment, expect: OpenChannelOptions): Channel {
    try {
      const readyTimeoutMs = expect.readyTimeoutMs ?? 1000;
      // NaN or a string would make the deadline NaN, and the wait below endless.
      if (typeof readyTimeoutMs !== "number" || Number.isNaN(readyTimeoutMs)) {
        throw new ShmArgumentError(
          "readyTimeoutMs",
          "must be a number of milliseconds (Infinity: no time-out)",
          readyTimeoutMs,
        );
      }
      // Segment.open asks for this minimum; an inherited descriptor can be anything.
      if (segment.size < DATA_OFFSET) {
        throw ShmError.of(
          "ESIZE",
          "Channel.open",
          segment.name,
          `the segment has ${segment.size} bytes, fewer than a channel header's ${DATA_OFFSET}: it is not a channel`,
        );
      }
      const words = new Int32Array(segment.buffer, 0, DATA_OFFSET >> 2);
      const deadline = performance.now() + readyTimeoutMs;
      while (Atomics.load(words, W_READY) !== 1) {
        if (performance.now() >= deadline) {
          throw new ShmError({
            code: "ENOTREADY",
            errno: 0,
            syscall: "Channel.open",
            segment: segment.name,
            detail: "the channel header was never marked ready: its creator died or is not a shmkit channel",
          });
        }
        Bun.sleepSync(1);
      }
      const shape = readHeader(words, segment.size, segment.name, {
        ...(expect.kind === undefined ? {} : { kind: expect.kind }),
        ...(expect.messageSize === undefined ? {} : { maxMessage: expect.messageSize }),
        ...(expect.fingerprint === undefined ? {} : { fingerprint: expect.fingerprint }),
        ...(expect.of === undefined
          ? {}
          : { maxMessage: expect.of.SIZE, fingerprint: expect.of.FINGERPRINT }),
      });
      return new Channel(segment, shape);
    } catch (error) {
      segment.close();
      throw error;
    }
  }

  /**
   * A producing end. MPSC: as many as you like, in any processes. SPSC: one process at a time, like the
   * receiver (EBUSY while another live process holds it).
   */
  sender(): Sender {
    if (!this.#ring.mpsc) claim(this.#ring.words, W_PRODUCER, "sender", this.segment.name);
    return new Sender(this.#ring);
  }

  /**
   * The consuming end; one process at a time (EBUSY while another live process holds it; a dead holder's claim
   * is taken over). It resumes where the previous consumer stopped.
   */
  receiver(): Receiver {
    claim(this.#ring.words, W_CONSUMER, "receiver", this.segment.name);
    return new Receiver(this.#ring);
  }

  /** Gives up this process's claim on the receiver and SPSC sender, and unmaps the channel here; others keep it. */
  close(): void {
    if (this.segment.closed) return;
    unclaim(this.#ring.words, W_CONSUMER);
    if (!this.#ring.mpsc) unclaim(this.#ring.words, W_PRODUCER);
    this.segment.close();
  }

  /** Removes the channel's name; processes that have it open keep using it. */
  unlink(): void {
    this.segment.unlink();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}

function shapeFromOptions(options: ChannelOptions): ChannelShape {
  const of = options?.of;
  if (of !== undefined && typeof of !== "function" && typeof of !== "object") {
    throw new ShmArgumentError("of", "must be a generated struct class with SIZE and FINGERPRINT", of);
  }
  return shapeOf(
    options?.kind ?? "spsc",
    options?.capacity ?? 1024,
    of?.SIZE ?? options?.messageSize,
    of?.FINGERPRINT ?? options?.fingerprint ?? "",
  );
}
