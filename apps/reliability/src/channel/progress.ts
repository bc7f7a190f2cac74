/**
 * What the consumers have seen, kept in a segment of its own so that it survives a consumer killed mid-run:
 * counters, then one bit per sequence number.
 */
export const P = {
  /** seq of the last message a consumer peeked and verified (-1: none). */
  seen: 0,
  /** seq of the last message a consumer released (-1: none). */
  released: 1,
  /** Unused since producers got their own maxima (MAX_SEEN); kept so the other indexes stay put. */
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

/** Highest seq accepted so far from producer p (seq % producers === p) is word MAX_SEEN + p (-1: none). */
export const MAX_SEEN = 16;
export const MAX_PRODUCERS = 16;

export const BITMAP_OFFSET = 4 * (MAX_SEEN + MAX_PRODUCERS);

export function progressSize(messages: number): number {
  return BITMAP_OFFSET + Math.ceil(messages / 8) + 8;
}
