import { Channel } from "@shmkit/core";
import type { PreparedChannel } from "./cases.ts";

/**
 * The checks `Channel.open` documents (packages/core/src/channel/layout.ts, `readHeader`), written out
 * independently: the model the channel cases predict its verdict from. The fresh header comes from a reference
 * channel made with the same options, so the model follows the format's constants (data offset, magic) without
 * copying them; what it predicts is which corruptions open() must refuse, and with which code.
 */
const KINDS = { spsc: 1, mpsc: 2 } as const;
const SLOT_HEADER = 8;

/** FNV-1a over the UTF-8 bytes, as a signed 32-bit word. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) h = Math.imul(h ^ byte, 0x01000193);
  return h | 0;
}

function referenceHeader(c: PreparedChannel): { words: Int32Array; size: number } {
  using reference = Channel.anonymous({
    kind: c.kind,
    capacity: c.capacity,
    messageSize: c.messageSize,
    fingerprint: c.fingerprint,
  });
  return { words: new Int32Array(reference.segment.buffer, 0, 10).slice(), size: reference.segment.size };
}

/** The code `Channel.open(name, expect)` must fail with, in its documented order of checks, or "ok". */
export function expectedChannelOpen(
  c: PreparedChannel,
  expect: { kind?: "spsc" | "mpsc"; messageSize?: number; fingerprint?: string },
): string {
  const reference = referenceHeader(c);
  const [refMagic, refVersion, , , , , , , refData = 0] = reference.words;
  const w = reference.words.slice();
  for (const [index, value] of c.words) if (index < 10) w[index] = value;
  const segmentSize = c.truncateTo ?? reference.size;
  if (segmentSize < refData) return "ESIZE";
  const [magic, version, kindCode, capacity = 0, stride = 0, maxMessage = 0, fingerprint, ready, data] = w;
  if (ready !== 1) return "ENOTREADY";
  if (magic !== refMagic || version !== refVersion) return "ELAYOUT";
  const kind = kindCode === KINDS.spsc ? "spsc" : kindCode === KINDS.mpsc ? "mpsc" : undefined;
  if (!kind) return "ELAYOUT";
  // create() never writes a message size below 1 (shapeOf refuses it), so such a header is corrupt too.
  if (
    data !== refData ||
    maxMessage < 1 ||
    capacity < 2 ||
    (capacity & (capacity - 1)) !== 0 ||
    stride < SLOT_HEADER + maxMessage ||
    refData + capacity * stride > segmentSize
  ) {
    return "ELAYOUT";
  }
  if (expect.kind !== undefined && expect.kind !== kind) return "ELAYOUT";
  if (expect.messageSize !== undefined && expect.messageSize !== maxMessage) return "ELAYOUT";
  if (expect.fingerprint !== undefined && hash32(expect.fingerprint) !== fingerprint) return "ELAYOUT";
  return "ok";
}
