/**
 * The test messages: `u32 seq | u32 n | n payload bytes (a function of seq) | u32 FNV-1a of everything before`,
 * little-endian. The receiver can tell a lost, duplicated, reordered or corrupted message from the bytes alone.
 */
export const MESSAGE_SIZE = 64;
const MAX_PAYLOAD = MESSAGE_SIZE - 12;

export function payloadLength(seq: number): number {
  return seq % (MAX_PAYLOAD + 1);
}

function payloadByte(seq: number, k: number): number {
  return (Math.imul(seq + k * 131, 0x9e3779b1) >>> 24) & 0xff;
}

function fnvStep(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 0x01000193) >>> 0;
}

/** Writes message `seq` at `at` and returns its length in bytes. */
export function writeMessage(view: DataView, bytes: Uint8Array, at: number, seq: number): number {
  const n = payloadLength(seq);
  view.setUint32(at, seq, true);
  view.setUint32(at + 4, n, true);
  for (let k = 0; k < n; k++) bytes[at + 8 + k] = payloadByte(seq, k);
  view.setUint32(at + 8 + n, checksum(bytes, at, 8 + n), true);
  return 12 + n;
}

export function checksum(bytes: Uint8Array, at: number, length: number): number {
  let hash = 0x811c9dc5;
  for (let i = at; i < at + length; i++) hash = fnvStep(hash, bytes[i] ?? 0);
  return hash;
}

/** The message's seq if it is intact (length, checksum and payload all right), or -1 if it is corrupt. */
export function readMessage(view: DataView, bytes: Uint8Array, at: number, length: number): number {
  if (length < 12) return -1;
  const seq = view.getUint32(at, true);
  const n = view.getUint32(at + 4, true);
  if (n !== payloadLength(seq) || length !== 12 + n) return -1;
  if (view.getUint32(at + 8 + n, true) !== checksum(bytes, at, 8 + n)) return -1;
  for (let k = 0; k < n; k++) if (bytes[at + 8 + k] !== payloadByte(seq, k)) return -1;
  return seq;
}
