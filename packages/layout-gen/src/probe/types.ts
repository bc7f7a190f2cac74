/** A member to measure: a name or a path (`origin.x`, `samples[3]`), and whether it is a bitfield. */
export interface ProbeField {
  readonly path: string;
  /** Bitfields have no `offsetof`; the probe finds their bits instead. */
  readonly bitfield?: boolean;
  /** A flexible array member (`T name[]`) has an offset but no `sizeof`; its size is reported as 0. */
  readonly flexible?: boolean;
}

/** One type to measure: a C type expression (`struct Point`, `union U`, or a typedef name) and its members. */
export interface ProbeQuery {
  readonly type: string;
  readonly fields?: readonly (string | ProbeField)[];
}

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

export interface ProbedField {
  readonly path: string;
  /** `offsetof`; for a bitfield, the byte holding its first bit. */
  readonly offset: number;
  /** `sizeof` the member; for a bitfield, the bytes its bits touch. */
  readonly size: number;
  /** Bitfields only: the first bit, counted from the least significant bit of byte `offset`, and the width. */
  readonly bitOffset?: number;
  readonly bitWidth?: number;
}

export interface ProbedType {
  readonly type: string;
  readonly size: number;
  readonly align: number;
  readonly fields: readonly ProbedField[];
}

/** What the compiler said: the measurements, or its diagnostics when the source did not compile. */
export type ProbeResult =
  | { readonly ok: true; readonly command: readonly string[]; readonly types: readonly ProbedType[] }
  | {
      readonly ok: false;
      readonly command: readonly string[];
      /** The compiler's exit code, or null when it was killed after `timeoutMs`. */
      readonly exitCode: number | null;
      readonly stderr: string;
    };
