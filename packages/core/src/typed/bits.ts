/**
 * Bitfields that do not sit inside one aligned 8-, 16- or 32-bit word (packed structs, or wider than 32 bits),
 * read and written a byte at a time. Bits are numbered from the least significant bit of the lowest byte, which
 * is how GCC and Clang lay out bitfields on little-endian targets. Generated code uses a single masked
 * typed-array access instead whenever the field fits one aligned word.
 */

/** Reads `width` (1 to 32) bits starting `bit` bits after byte `byte`; sign-extends when `signed`. */
export function readBits(u8: Uint8Array, byte: number, bit: number, width: number, signed: boolean): number {
  let value = 0;
  let got = 0;
  // Bit positions are counted from `byte`, not from the segment's start: byte * 8 passes 2^32 beyond 512 MiB,
  // where `>>> 3` would wrap to the wrong byte.
  while (got < width) {
    const at = bit + got;
    const shift = at & 7;
    const take = Math.min(8 - shift, width - got);
    value += (((u8[byte + (at >>> 3)] as number) >>> shift) & ((1 << take) - 1)) * 2 ** got;
    got += take;
  }
  return signed && value >= 2 ** (width - 1) ? value - 2 ** width : value;
}

/** Writes the low `width` (1 to 32) bits of `value`, leaving the neighbouring bits as they were (C truncation). */
export function writeBits(u8: Uint8Array, byte: number, bit: number, width: number, value: number): void {
  let rest = Math.trunc(value) % 2 ** width;
  if (rest < 0) rest += 2 ** width;
  let done = 0;
  while (done < width) {
    const at = bit + done; // from `byte`, as in readBits
    const index = byte + (at >>> 3);
    const shift = at & 7;
    const take = Math.min(8 - shift, width - done);
    const mask = ((1 << take) - 1) << shift;
    const part = (rest % 2 ** take) << shift;
    u8[index] = ((u8[index] as number) & ~mask) | part;
    rest = Math.floor(rest / 2 ** take);
    done += take;
  }
}

/** `readBits` for widths up to 64, as a bigint. */
export function readBitsBig(
  u8: Uint8Array,
  byte: number,
  bit: number,
  width: number,
  signed: boolean,
): bigint {
  let value = 0n;
  for (let i = width - 1; i >= 0; i--) {
    const at = bit + i; // from `byte`, as in readBits
    value = (value << 1n) | BigInt(((u8[byte + (at >>> 3)] as number) >>> (at & 7)) & 1);
  }
  return signed ? BigInt.asIntN(width, value) : value;
}

/** `writeBits` for widths up to 64, from a bigint. */
export function writeBitsBig(u8: Uint8Array, byte: number, bit: number, width: number, value: bigint): void {
  const bits = BigInt.asUintN(width, value);
  for (let i = 0; i < width; i++) {
    const at = bit + i; // from `byte`, as in readBits
    const index = byte + (at >>> 3);
    const one = Number((bits >> BigInt(i)) & 1n);
    u8[index] = ((u8[index] as number) & ~(1 << (at & 7))) | (one << (at & 7));
  }
}
