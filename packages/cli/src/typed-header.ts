import { readSync } from "node:fs";
import { HEADER, readCString, type Segment, SHMKIT_FORMAT_VERSION, SHMKIT_MAGIC } from "@shmkit/core";

/** What the header of a typed segment says, read without mapping it. */
export interface TypedHeaderInfo {
  readonly struct: string;
  readonly fingerprint: string;
  readonly version: number;
  readonly ready: "uninitialised" | "initialising" | "ready" | `unknown (${number})`;
  /** Where the struct starts, and its size, as the creator wrote them. */
  readonly dataOffset: number;
  readonly dataSize: number;
}

const READY_NAMES = ["uninitialised", "initialising", "ready"] as const;

/**
 * Reads a typed segment's header (see `HEADER` in @shmkit/core) with pread, so that a short or truncated segment
 * is simply not typed instead of a SIGBUS. Returns undefined when the segment has no shmkit magic.
 */
export function readTypedHeader(seg: Segment): TypedHeaderInfo | undefined {
  const bytes = new Uint8Array(HEADER.size);
  let done = 0;
  while (done < bytes.length) {
    const n = readSync(seg.fd, bytes, done, bytes.length - done, done);
    if (n === 0) return undefined;
    done += n;
  }
  // The creator writes the header in the host's byte order; shmkit's targets are all little-endian.
  const dv = new DataView(bytes.buffer);
  if (dv.getUint32(HEADER.magic, true) !== SHMKIT_MAGIC) return undefined;
  const ready = dv.getUint32(HEADER.ready, true);
  const version = dv.getUint16(HEADER.version, true);
  return {
    struct: readCString(bytes, HEADER.structName, HEADER.textBytes),
    fingerprint: readCString(bytes, HEADER.fingerprint, HEADER.textBytes),
    version,
    ready: READY_NAMES[ready] ?? `unknown (${ready})`,
    dataOffset: dv.getUint16(HEADER.dataOffset, true),
    dataSize: dv.getUint32(HEADER.dataSize, true),
  };
}

/** True when this shmkit reads that header format. */
export function knownVersion(info: TypedHeaderInfo): boolean {
  return info.version === SHMKIT_FORMAT_VERSION;
}
