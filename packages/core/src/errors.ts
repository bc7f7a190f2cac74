import { errnoName, lastErrno, strerror } from "./internal/libc/errno.ts";

/**
 * shmkit's own failure codes, beside errno names. Each means a state of shared memory that no syscall reports.
 * - `ECLOSED`: the segment was closed in this process; its memory is no longer mapped.
 * - `EUNTRUSTED`: `trustOwner` refused a segment owned by another user or writable by group or others.
 * - `ESIZE`: the object is smaller than the caller needs (for example truncated by another process).
 * - `EREADONLY`: a write was asked of a segment opened read-only.
 * - `EMAGIC`: a typed segment was expected, but the segment does not start with shmkit's magic number.
 * - `EVERSION`: a typed segment has a header format version this shmkit does not read.
 * - `EFINGERPRINT`: a typed segment holds a struct with a different layout (another schema or target).
 * - `ENOTREADY`: a typed segment's creator did not mark it ready within the time-out.
 * - `ELAYOUT`: a channel's header does not match what this side was built for, or is not a channel header.
 * - `ENORESERVE`: a channel commit without a reserved message.
 * - `ENOPEEK`: a channel release without a peeked message.
 * - `ECORRUPT`: shared state that no correct writer can produce (for example a channel head behind its slots).
 */
export type ShmkitCode =
  | "ECLOSED"
  | "EUNTRUSTED"
  | "ESIZE"
  | "EREADONLY"
  | "EMAGIC"
  | "EVERSION"
  | "EFINGERPRINT"
  | "ENOTREADY"
  | "ELAYOUT"
  | "ENORESERVE"
  | "ENOPEEK"
  | "ECORRUPT";

/** An errno name such as `"EEXIST"`, or one of shmkit's own codes. */
export type ShmErrorCode = ShmkitCode | (string & {});

/**
 * A failure of the operating system, or of shared memory itself, on a named object.
 *
 * @example
 * try { Segment.create("/orders", { size: 4096 }); }
 * catch (e) { if (e instanceof ShmError && e.code === "EEXIST") … }
 * // e.message: "shm_open(/orders): EEXIST (File exists)"
 */
export class ShmError extends Error {
  /** Always `"ShmError"`. */
  override readonly name = "ShmError";
  /** errno name (`EEXIST`) or a shmkit code (`ECLOSED`). */
  readonly code: ShmErrorCode;
  /** The errno value, or 0 for shmkit codes. */
  readonly errno: number;
  /** The call that failed: a syscall (`shm_open`) or a shmkit operation (`Segment.open`). */
  readonly syscall: string;
  /** The object involved: a segment name such as `/orders`, `fd 3`, or a description. */
  readonly segment: string;

  constructor(init: { code: ShmErrorCode; errno: number; syscall: string; segment: string; detail: string }) {
    super(`${init.syscall}(${init.segment}): ${init.code} (${init.detail})`);
    this.code = init.code;
    this.errno = init.errno;
    this.syscall = init.syscall;
    this.segment = init.segment;
  }

  /** Builds the error for a libc call that just failed with errno `errno` (read it immediately). */
  static fromErrno(syscall: string, segment: string, errno: number = lastErrno()): ShmError {
    return new ShmError({ code: errnoName(errno), errno, syscall, segment, detail: strerror(errno) });
  }

  /** A shmkit-specific failure with a plain sentence that says what to do. */
  static of(code: ShmkitCode, syscall: string, segment: string, detail: string): ShmError {
    return new ShmError({ code, errno: 0, syscall, segment, detail });
  }
}

/**
 * A bad argument, caught before any syscall. The message names the argument, the rule and the value:
 * `size: must be an integer from 1 to 4294967296, got 0`.
 */
export class ShmArgumentError extends TypeError {
  /** Always `"ShmArgumentError"`. */
  override readonly name = "ShmArgumentError";
  /** The argument or option that was refused, such as `size` or `options.robust`. */
  readonly argument: string;

  constructor(argument: string, rule: string, got: unknown) {
    super(`${argument}: ${rule}, got ${describe(got)}`);
    this.argument = argument;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  return Object.prototype.toString.call(value);
}
