/** The largest power of two that divides `n` (Infinity for 0): the alignment an offset keeps. */
export function lowBit(n: number): number {
  return n === 0 ? Number.POSITIVE_INFINITY : n & -n;
}

/** The alignment guaranteed at `offset` past a base aligned to `baseAlign`. */
export function alignAt(baseAlign: number, offset: number): number {
  return Math.min(baseAlign, lowBit(offset));
}
