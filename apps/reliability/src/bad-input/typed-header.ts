import { hostTarget } from "@shmkit/core/targets";
import { Rng } from "../rng.ts";
import type { PreparedTyped } from "./cases.ts";
import { PROBE_SIZE } from "./probe.ts";

/**
 * The typed-segment header as its documentation describes it (packages/core/src/typed/header.ts), written out
 * independently of the implementation: the model the typed-header cases predict `TypedSegment.open` from.
 */
const MAGIC = 0x4b4d4853;
const HEADER_SIZE = 192;
const FIELD_COUNT = 3; // Probe's fields: price, qty, tag
const FIELDS_END = HEADER_SIZE + 16 * FIELD_COUNT;
const DATA_OFFSET = 240; // a struct of alignment 8 starts after the field table, rounded up to 16
const VERSION = 2;
const READY = 2;

/** The bytes a fresh `Probe` typed segment holds, as documented. */
function createdBytes(fingerprint: string): Uint8Array {
  const u8 = new Uint8Array(DATA_OFFSET + PROBE_SIZE);
  const dv = new DataView(u8.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint16(4, VERSION, true);
  dv.setUint16(6, DATA_OFFSET, true);
  dv.setUint32(8, READY, true);
  dv.setUint32(12, PROBE_SIZE, true);
  u8.set(new TextEncoder().encode(fingerprint), 16);
  u8.set(new TextEncoder().encode("Probe"), 80);
  u8.set(new TextEncoder().encode(hostTarget().name), 144);
  dv.setUint32(176, FIELD_COUNT, true);
  // The field table (192…239) only explains a refusal; no check the model predicts reads it.
  return u8;
}

/** What the parent writes over a segment, and what the model applies to its bytes. */
export function corrupt(u8: Uint8Array, t: PreparedTyped): void {
  const dv = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  if (t.kind === "random") {
    const rng = new Rng(t.fill);
    for (let i = 0; i < u8.length; i++) u8[i] = rng.int(0, 255);
  }
  if (t.kind === "foreign-magic" && u8.length >= 4) u8.set([0x7f, 0x45, 0x4c, 0x46]);
  for (const f of t.fields) {
    if (f.width === 1) dv.setUint8(f.offset, f.value);
    else if (f.width === 2) dv.setUint16(f.offset, f.value, true);
    else dv.setUint32(f.offset, f.value >>> 0, true);
  }
  for (const [offset, byte] of t.bytes) if (offset < u8.length) u8[offset] = byte;
}

/** The segment's bytes after the parent made and corrupted it, then truncated it. */
export function modelBytes(t: PreparedTyped): Uint8Array {
  const made = t.kind === "typed" ? createdBytes(t.fingerprint) : new Uint8Array(t.size);
  corrupt(made, t);
  if (t.truncateTo === undefined) return made;
  const out = new Uint8Array(t.truncateTo);
  out.set(made.subarray(0, Math.min(made.length, t.truncateTo)));
  return out;
}

function cString(u8: Uint8Array, offset: number, length: number): string {
  let end = offset;
  while (end < offset + length && u8[end] !== 0) end++;
  return new TextDecoder().decode(u8.subarray(offset, end));
}

/** The code `TypedSegment.open` must fail with, in its documented order of checks, or "ok". */
export function expectedOpen(t: PreparedTyped, expectFingerprint: string): string {
  const u8 = modelBytes(t);
  if (u8.length < HEADER_SIZE) return "ESIZE";
  const dv = new DataView(u8.buffer);
  const magic = dv.getUint32(0, true);
  if (magic !== 0 && magic !== MAGIC) return "EMAGIC";
  const ready = dv.getUint32(8, true);
  if (ready === 0 || ready === 1) return "ENOTREADY";
  if (ready !== READY) return "EINVAL";
  if (magic !== MAGIC) return "EMAGIC";
  if (dv.getUint16(4, true) !== VERSION) return "EVERSION";
  if (cString(u8, 16, 64) !== expectFingerprint) return "EFINGERPRINT";
  const offset = dv.getUint16(6, true);
  const size = dv.getUint32(12, true);
  if (size !== PROBE_SIZE || offset % 8 !== 0 || offset < FIELDS_END) return "EFINGERPRINT";
  if (offset + size > u8.length) return "ESIZE";
  return "ok";
}
