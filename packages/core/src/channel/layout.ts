import { ShmArgumentError, ShmError } from "../errors.ts";

/**
 * The bytes of a channel segment. Every counter is a 32-bit word at a fixed offset; each word that one side
 * writes often sits alone on its own 64-byte cache line, so that a producer bumping `head` does not evict the
 * line a consumer is writing `tail` on (false sharing would cost a cache-line transfer per message).
 *
 * ```
 *   0  header  magic, version, kind, capacity, slot stride, max message, fingerprint, ready, data offset, closed,
 *              consumer pid, SPSC producer pid
 *  64  head    next position producers claim (MPSC: CAS; SPSC: written by the one producer)
 * 128  tail    next position the consumer reads; it survives the consumer, so a new one resumes here
 * 192  data-ready wait word: epoch + number of sleeping consumers
 * 256  space-free wait word: epoch + number of sleeping producers
 * 376  slots   capacity × stride; a slot is [u32 seq][u32 length][message bytes]; bytes of slot 0 at 384
 * ```
 *
 * Positions are u32 counters that wrap at 2^32; capacity is a power of two (at most 2^30), so `pos & (capacity-1)`
 * stays consistent across the wrap and differences are compared as signed 32-bit values.
 */
export const MAGIC = 0x4348_4d53; // "SMHC" little-endian: ShMkit Channel
export const VERSION = 1;
export const LINE = 64;
export const SLOT_HEADER = 8;

// Word indices (byte offset / 4) into the segment's Int32Array.
export const W_MAGIC = 0;
export const W_VERSION = 1;
export const W_KIND = 2;
export const W_CAPACITY = 3;
export const W_STRIDE = 4;
export const W_MAX_MESSAGE = 5;
export const W_FINGERPRINT = 6;
export const W_READY = 7;
export const W_DATA = 8;
/** Set once by `Sender.close()`: the producer is finished; `for await` ends after the last message. */
export const W_CLOSED = 9;
/** pid of the process holding the consuming end (0: none); a dead holder's claim is taken over. */
export const W_CONSUMER = 10;
/** SPSC: pid of the process holding the producing end (0: none). */
export const W_PRODUCER = 11;
export const W_HEAD = 64 / 4;
export const W_TAIL = 128 / 4;
export const W_DATA_EPOCH = 192 / 4;
export const W_DATA_SLEEPERS = 192 / 4 + 1;
export const W_SPACE_EPOCH = 256 / 4;
export const W_SPACE_SLEEPERS = 256 / 4 + 1;
/**
 * Slot 0 starts 8 bytes before a cache-line boundary, so that its message bytes start on one. With a stride that
 * is a multiple of 64 (messages of 256 bytes or more), every message is 64-byte aligned, which is what memcpy
 * copies fastest (an unaligned 64 KiB copy measured about 25% slower).
 */
export const DATA_OFFSET = 384 - SLOT_HEADER;

export const KINDS = { spsc: 1, mpsc: 2 } as const;
/** `"spsc"`: one producer, one consumer. `"mpsc"`: any number of producers, one consumer. */
export type ChannelKind = keyof typeof KINDS;

export interface ChannelShape {
  kind: ChannelKind;
  /** Number of slots, a power of two. */
  capacity: number;
  /** Largest message in bytes. */
  maxMessage: number;
  /** Bytes from one slot to the next. */
  stride: number;
  /** 32-bit hash of the caller's schema fingerprint ("" when none). */
  fingerprint: number;
  /** Total segment size. */
  size: number;
}

export const MAX_CAPACITY = 2 ** 30;
/** The largest channel segment: every byte offset in it must be a positive 32-bit integer. */
export const MAX_RING_BYTES = 2 ** 31 - 1;

export function shapeOf(
  kind: unknown,
  capacity: unknown,
  maxMessage: unknown,
  fingerprint: unknown,
): ChannelShape {
  if (kind !== "spsc" && kind !== "mpsc")
    throw new ShmArgumentError("kind", 'must be "spsc" or "mpsc"', kind);
  if (
    typeof capacity !== "number" ||
    !Number.isInteger(capacity) ||
    capacity < 2 ||
    capacity > MAX_CAPACITY ||
    (capacity & (capacity - 1)) !== 0
  ) {
    throw new ShmArgumentError("capacity", `must be a power of two from 2 to ${MAX_CAPACITY}`, capacity);
  }
  if (
    typeof maxMessage !== "number" ||
    !Number.isInteger(maxMessage) ||
    maxMessage < 1 ||
    maxMessage > 2 ** 31
  ) {
    throw new ShmArgumentError("messageSize", "must be an integer from 1 to 2147483648", maxMessage);
  }
  if (typeof fingerprint !== "string")
    throw new ShmArgumentError("fingerprint", "must be a string", fingerprint);
  const align = maxMessage >= 256 ? LINE : 8;
  const stride = Math.ceil((SLOT_HEADER + maxMessage) / align) * align;
  const size = DATA_OFFSET + capacity * stride;
  // Slot offsets are 32-bit signed integers (`>> 2` word indices, `<< 2` byte offsets): past 2 GiB they turn
  // negative, so a larger ring cannot be addressed.
  if (size > MAX_RING_BYTES) {
    throw new ShmArgumentError(
      "capacity",
      `× messageSize must fit in 2 GiB (${size} bytes asked, at most ${MAX_RING_BYTES})`,
      capacity,
    );
  }
  return { kind, capacity, maxMessage, stride, fingerprint: hash32(fingerprint), size };
}

/** FNV-1a over the UTF-8 bytes: a stable 32-bit tag, enough to catch a producer and consumer built apart. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    h ^= byte;
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** Writes the header of a fresh (zero-filled) segment; `ready` is published last, by the caller. */
export function writeHeader(words: Int32Array, shape: ChannelShape): void {
  words[W_MAGIC] = MAGIC;
  words[W_VERSION] = VERSION;
  words[W_KIND] = KINDS[shape.kind];
  words[W_CAPACITY] = shape.capacity;
  words[W_STRIDE] = shape.stride;
  words[W_MAX_MESSAGE] = shape.maxMessage;
  words[W_FINGERPRINT] = shape.fingerprint;
  words[W_DATA] = DATA_OFFSET;
}

const hex = (n: number): string => (n >>> 0).toString(16).padStart(8, "0");

function mismatch(name: string, detail: string): ShmError {
  return new ShmError({ code: "ELAYOUT", errno: 0, syscall: "Channel.open", segment: name, detail });
}

/**
 * Reads and checks the header of an existing channel. `expect` holds what the caller was built for; any
 * difference is an `ELAYOUT` ShmError that names both values, before a single message is touched.
 */
export function readHeader(
  words: Int32Array,
  segmentSize: number,
  name: string,
  expect: { kind?: ChannelKind; maxMessage?: number; fingerprint?: string },
): ChannelShape {
  if (words[W_MAGIC] !== MAGIC) {
    throw mismatch(name, `not a shmkit channel: magic ${hex(words[W_MAGIC] ?? 0)}, expected ${hex(MAGIC)}`);
  }
  if (words[W_VERSION] !== VERSION) {
    throw mismatch(name, `channel format version ${words[W_VERSION]}, this shmkit reads version ${VERSION}`);
  }
  const kindCode = words[W_KIND];
  const kind = kindCode === KINDS.spsc ? "spsc" : kindCode === KINDS.mpsc ? "mpsc" : undefined;
  if (!kind) throw mismatch(name, `unknown channel kind ${kindCode}`);
  const capacity = words[W_CAPACITY] ?? 0;
  const stride = words[W_STRIDE] ?? 0;
  // Unsigned: a corrupt negative size must fail the checks below, not pass them.
  const maxMessage = (words[W_MAX_MESSAGE] ?? 0) >>> 0;
  const fingerprint = words[W_FINGERPRINT] ?? 0;
  const size = DATA_OFFSET + capacity * stride;
  if (
    words[W_DATA] !== DATA_OFFSET ||
    capacity < 2 ||
    (capacity & (capacity - 1)) !== 0 ||
    maxMessage < 1 ||
    stride % 8 !== 0 ||
    stride < SLOT_HEADER + maxMessage ||
    size > MAX_RING_BYTES ||
    size > segmentSize
  ) {
    throw mismatch(
      name,
      `corrupt header: ${capacity} slots of ${stride} bytes for messages of up to ${maxMessage} bytes ` +
        `do not fit ${segmentSize} bytes`,
    );
  }
  if (expect.kind !== undefined && expect.kind !== kind) {
    throw mismatch(name, `the channel is ${kind}, this side was built for ${expect.kind}`);
  }
  if (expect.maxMessage !== undefined && expect.maxMessage !== maxMessage) {
    throw mismatch(
      name,
      `messages of up to ${maxMessage} bytes, this side was built for ${expect.maxMessage}`,
    );
  }
  if (expect.fingerprint !== undefined && hash32(expect.fingerprint) !== fingerprint) {
    throw mismatch(
      name,
      `layout fingerprint ${hex(fingerprint)} in the segment, ${hex(hash32(expect.fingerprint))} expected: ` +
        "the two sides were built from different schemas or targets; regenerate and rebuild both",
    );
  }
  return { kind, capacity, maxMessage, stride, fingerprint, size };
}
