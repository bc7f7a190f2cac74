/**
 * The FFI port: everything core needs from a runtime's foreign function interface, and nothing more. One back-end
 * per runtime implements it (`bun.ts`, `node.ts`, `deno.ts`); everything above it is runtime-neutral TypeScript over
 * ArrayBuffers. Addresses are JS numbers on this side (x86_64 and aarch64 user addresses fit in 2^53); a back-end
 * whose FFI takes bigint pointers converts. See docs/DESIGN.md, "The FFI port".
 */

/**
 * A C type in a declaration, in a notation of shmkit's own that each back-end translates:
 * - `i32`, `u32`: int, unsigned; `i64`, `u64`: long, size_t, off_t (LP64), as numbers on this side.
 * - `ptr`: a pointer; as an argument a number address, an ArrayBufferView (its bytes) or null; as a result a
 *   number, or null for NULL.
 * - `cstring`: as an argument a NUL-terminated Uint8Array; as a result (`strerror`) the string it points at.
 */
export type CType = "i32" | "u32" | "i64" | "u64" | "ptr" | "cstring";

export interface Declaration {
  readonly args: readonly CType[];
  readonly returns: CType;
}

export type Declarations = Readonly<Record<string, Declaration>>;

/** What a `ptr` argument takes. */
export type PointerArg = number | ArrayBufferView | null;

type ArgOf<T extends CType> = T extends "ptr" ? PointerArg : T extends "cstring" ? Uint8Array : number;
type ResultOf<T extends CType> = T extends "ptr" ? number | null : T extends "cstring" ? string : number;
type ArgsOf<A extends readonly CType[]> = { [K in keyof A]: A[K] extends CType ? ArgOf<A[K]> : never };

/** The callable functions for a set of declarations. */
export type Functions<D extends Declarations> = {
  [K in keyof D]: (...args: ArgsOf<D[K]["args"]>) => ResultOf<D[K]["returns"]>;
};

/** One FUTEX_WAIT for a wait thread. */
export interface FutexRequest {
  address: number;
  expected: number;
  /** Whether to time out after the relative `struct timespec` in the buffer shared with the thread. */
  timed: boolean;
}

/** What a wait thread needs to know, as data: it runs from source text and imports nothing of shmkit. */
export interface WaitThreadConfig {
  /** SYS_futex on this architecture. */
  nr: number;
  /** FUTEX_WAIT (shared, not private). */
  op: number;
  libcPath: string;
}

/**
 * A thread of this process that does blocking FUTEX_WAITs for the JS thread, one at a time, and reports each
 * one's errno (0 when woken, perhaps spuriously; EAGAIN, ETIMEDOUT, EINTR, EFAULT). Keeps the process alive
 * while ref'd, like a pending timer.
 */
export interface WaitThread {
  post(request: FutexRequest): void;
  ref(): void;
  unref(): void;
  terminate(): void;
}

export interface WaitThreadEvents {
  reply(errno: number): void;
  error(message: string): void;
}

/** The FFI through which core reaches libc: said in errors, by `ffiBackend()` and by `shmkit doctor`. */
export type FfiBackendName = "bun:ffi" | "node:ffi" | "koffi" | "Deno.dlopen";

export interface Backend {
  readonly name: FfiBackendName;
  /** Opens `path` and binds `declarations`; throws if the library or a symbol is missing. */
  open<D extends Declarations>(path: string, declarations: D): Functions<D>;
  /** An ArrayBuffer over `length` bytes at `address`, with no copy. */
  view(address: number, length: number): ArrayBuffer;
  /** The int at `address` (errno, through `__errno_location()`). */
  readI32(address: number): number;
  /**
   * Starts a wait thread. `time` is a 16-byte `struct timespec` in a SharedArrayBuffer: a timed request
   * waits for what the JS thread wrote there before posting it.
   */
  startWaitThread(config: WaitThreadConfig, time: Uint32Array, events: WaitThreadEvents): WaitThread;
}
