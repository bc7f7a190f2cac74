import { ShmArgumentError } from "../errors.ts";

const decoder = new TextDecoder();
const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

/**
 * Reads a `char[length]` field at `offset`: UTF-8 up to the first NUL, or all `length` bytes if C filled the field
 * without one. Invalid UTF-8 becomes U+FFFD.
 */
export function readCString(u8: Uint8Array, offset: number, length: number): string {
  const limit = offset + length;
  let end = offset;
  while (end < limit && u8[end] !== 0) end++;
  return decoder.decode(u8.subarray(offset, end));
}

/**
 * Writes `value` into a `char[length]` field as UTF-8, NUL-terminated, zero-filling the rest of the field.
 *
 * The rule: a value must fit in `length - 1` bytes, so that a NUL always follows it; a longer one, or one that
 * contains NUL, throws ShmArgumentError and leaves the field unchanged (nothing is truncated silently). Use
 * `fitUtf8(value, length - 1)` to cut a string at a character boundary first if truncation is what you want.
 */
export function writeCString(
  u8: Uint8Array,
  offset: number,
  length: number,
  value: string,
  field: string,
): void {
  if (typeof value !== "string") throw new ShmArgumentError(field, "must be a string", value);
  if (value.includes("\0")) {
    throw new ShmArgumentError(field, "must not contain NUL (C would read only the part before it)", value);
  }
  if (scratch.length < value.length * 3) scratch = new Uint8Array(value.length * 3);
  const { written } = encoder.encodeInto(value, scratch);
  if (written > length - 1) {
    throw new ShmArgumentError(
      field,
      `must be at most ${length - 1} UTF-8 bytes (char[${length}] keeps one for the NUL; fitUtf8() truncates), this is ${written} bytes`,
      value,
    );
  }
  u8.set(scratch.subarray(0, written), offset);
  u8.fill(0, offset + written, offset + length);
}

/** The longest prefix of `value` whose UTF-8 takes at most `maxBytes` bytes, cut at a character boundary. */
export function fitUtf8(value: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of value) {
    const cp = ch.codePointAt(0) as number;
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  return value.slice(0, end);
}
