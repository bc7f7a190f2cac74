/**
 * What the consumers have seen, kept in a segment of its own so that it survives a consumer killed mid-run:
 * counters, then one bit per sequence number.
 */
export const P = {
  /** seq of the last message a consumer peeked and verified (-1: none). */
  seen: 0,
  /** seq of the last message a consumer released (-1: none). */
  released: 1,
  /** Highest seq accepted so far (-1: none). */
  maxSeen: 2,
  /** Messages delivered again to a restarted consumer because the killed one held them unreleased. */
  redelivered: 3,
  duplicated: 4,
  reordered: 5,
  corrupt: 6,
  /** 1 once a consumer read the end of the stream. */
  done: 7,
  /** Consumer processes started. */
  starts: 8,
} as const;

export const BITMAP_OFFSET = 64;

export function progressSize(messages: number): number {
  return BITMAP_OFFSET + Math.ceil(messages / 8) + 8;
}
