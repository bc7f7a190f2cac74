/** A member to measure: a name or a path (`origin.x`, `samples[3]`), and whether it is a bitfield. */
export interface ProbeField {
  /** The member's path from the type, as C's `offsetof` takes it. */
  readonly path: string;
  /** Bitfields have no `offsetof`; the probe finds their bits instead. */
  readonly bitfield?: boolean;
  /** A flexible array member (`T name[]`) has an offset but no `sizeof`; its size is reported as 0. */
  readonly flexible?: boolean;
}

/** One type to measure: a C type expression (`struct Point`, `union U`, or a typedef name) and its members. */
export interface ProbeQuery {
  /** The C type expression. */
  readonly type: string;
  /** The members to measure; a string is a path of a field that is not a bitfield. */
  readonly fields?: readonly (string | ProbeField)[];
}

/** Options of `probeLayouts()`. */
export interface ProbeOptions {
  /**
   * The compiler and its target flags, as one command line or an argv: `cc` (default), `aarch64-linux-gnu-gcc`,
   * `i686-linux-gnu-gcc`, `clang --target=arm64-apple-macos11`. It is only asked to compile (`-c`), never to run.
   */
  readonly compiler?: string | readonly string[];
  /**
   * Extra flags, e.g. `-D_GNU_SOURCE`. The source is compiled from a temporary directory, so pass
   * `-I <the header's directory>` when it has quoted `#include`s of its neighbours.
   */
  readonly flags?: readonly string[];
  /** Give up on the compiler after this long (default 60 s). */
  readonly timeoutMs?: number;
}

/** One member as the compiler placed it. */
export interface ProbedField {
  /** The path as the query gave it. */
  readonly path: string;
  /** `offsetof`; for a bitfield, the byte holding its first bit. */
  readonly offset: number;
  /** `sizeof` the member; for a bitfield, the bytes its bits touch. */
  readonly size: number;
  /** Bitfields only: the first bit, counted from the least significant bit of byte `offset`, and the width. */
  readonly bitOffset?: number;
  /** Bitfields only: the width in bits. */
  readonly bitWidth?: number;
}

/** One type as the compiler laid it out. */
export interface ProbedType {
  /** The type expression as the query gave it. */
  readonly type: string;
  /** `sizeof` the type. */
  readonly size: number;
  /** `_Alignof` the type. */
  readonly align: number;
  /** The queried members, in the query's order. */
  readonly fields: readonly ProbedField[];
}

/** What the compiler said: the measurements, or its diagnostics when the source did not compile. */
export type ProbeResult =
  | {
      /** The compile succeeded. */
      readonly ok: true;
      /** The argv that was run. */
      readonly command: readonly string[];
      /** One measurement per query, in the queries' order. */
      readonly types: readonly ProbedType[];
    }
  | {
      /** The compile failed. */
      readonly ok: false;
      /** The argv that was run. */
      readonly command: readonly string[];
      /** The compiler's exit code, or null when it was killed after `timeoutMs`. */
      readonly exitCode: number | null;
      /** The compiler's diagnostics, with the temporary file named `probe.c`. */
      readonly stderr: string;
    };
