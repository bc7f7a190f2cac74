import { type Segment, SHMKIT_FORMAT_VERSION } from "@shmkit/core";
import { type FieldEntry, HEADER, readCString, readFieldTable, SHMKIT_MAGIC } from "@shmkit/core/runtime";
import { readAt } from "./system/read-at.ts";

/** What the header of a typed segment says, read without mapping it. */
export interface TypedHeaderInfo {
  readonly struct: string;
  readonly fingerprint: string;
  readonly version: number;
  readonly ready: "uninitialised" | "initialising" | "ready" | `unknown (${number})`;
  /** Where the struct starts, and its size, as the creator wrote them. */
  readonly dataOffset: number;
  readonly dataSize: number;
  /** The creator's target; "" in a header older than format 2. */
  readonly target: string;
  /** The creator's field table (format 2); undefined when absent or corrupt. */
  readonly fields: readonly FieldEntry[] | undefined;
}

const READY_NAMES = ["uninitialised", "initialising", "ready"] as const;

/** Reads up to `length` bytes from the start of the segment with pread; fewer if it is shorter. */
function readStart(seg: Segment, length: number): Uint8Array {
  return readAt(seg.fd, 0, length);
}

/**
 * Reads a typed segment's header (see `HEADER` in @shmkit/core) with pread, so that a short or truncated segment
 * is simply not typed instead of a SIGBUS. Returns undefined when the segment has no shmkit magic.
 */
export function readTypedHeader(seg: Segment): TypedHeaderInfo | undefined {
  const fixed = readStart(seg, HEADER.size);
  // A format-1 header was 144 bytes; every field up to the struct name is where it was.
  if (fixed.length < HEADER.structName + HEADER.textBytes) return undefined;
  // The creator writes the header in the host's byte order; shmkit's targets are all little-endian.
  const dv = new DataView(fixed.buffer, fixed.byteOffset, fixed.byteLength);
  if (dv.getUint32(HEADER.magic, true) !== SHMKIT_MAGIC) return undefined;
  const ready = dv.getUint32(HEADER.ready, true);
  const version = dv.getUint16(HEADER.version, true);
  const dataOffset = dv.getUint16(HEADER.dataOffset, true);
  const current = version === SHMKIT_FORMAT_VERSION && fixed.length === HEADER.size;
  // The field table ends at or before the struct, so reading up to data_offset (at most 64 KiB) holds all of it.
  const whole = current ? readStart(seg, Math.max(dataOffset, HEADER.size)) : fixed;
  return {
    struct: readCString(fixed, HEADER.structName, HEADER.textBytes),
    fingerprint: readCString(fixed, HEADER.fingerprint, HEADER.textBytes),
    version,
    ready: READY_NAMES[ready] ?? `unknown (${ready})`,
    dataOffset,
    dataSize: dv.getUint32(HEADER.dataSize, true),
    target: current ? readCString(fixed, HEADER.target, HEADER.targetBytes) : "",
    fields: current
      ? readFieldTable(new DataView(whole.buffer, whole.byteOffset, whole.byteLength), dataOffset)
      : undefined,
  };
}

/** True when this shmkit reads that header format. */
export function knownVersion(info: TypedHeaderInfo): boolean {
  return info.version === SHMKIT_FORMAT_VERSION;
}
