/**
 * `@shmkit/core`: POSIX shared memory segments, process-shared robust mutexes and condition variables, futex
 * waits (also async), typed segments and lock-free channels. What generated accessors need is in
 * `@shmkit/core/runtime`; the C ABI tables are in `@shmkit/core/targets`.
 *
 * @packageDocumentation
 */
export {
  Channel,
  type ChannelKind,
  type ChannelOptions,
  type ChannelWaitOptions,
  type MessageLayout,
  type OpenChannelOptions,
  Receiver,
  Sender,
} from "./channel/index.ts";
export { ShmArgumentError, ShmError, type ShmErrorCode, type ShmkitCode } from "./errors.ts";
export { type FfiBackendName, ffiBackend } from "./internal/ffi/index.ts";
export type { SegmentStat } from "./internal/stat.ts";
export { NAME_MAX, normalizeName } from "./names.ts";
export {
  type AnonymousOptions,
  type CloseOptions,
  type CreateOptions,
  MAX_SEGMENT_SIZE,
  type NativePointer,
  type OpenOptions,
  Segment,
  type SegmentInfo,
} from "./segment.ts";
export { Condition, type ConditionAtOptions, type WaitResult } from "./sync/condition.ts";
export { type LockOptions, type LockResult, Mutex, type MutexInitOptions } from "./sync/mutex.ts";
export {
  DEFAULT_READY_TIMEOUT_MS,
  type InitOnceResult,
  READY_STATE,
  type ReadyState,
  ReadyWord,
} from "./sync/ready.ts";
export {
  DEFAULT_SPIN_NS,
  WaitWord,
  type WordWaitOptions,
  type WordWaitResult,
} from "./sync/wait-word.ts";
export {
  fitUtf8,
  SHMKIT_FORMAT_VERSION,
  type TypedClass,
  type TypedCreateOptions,
  type TypedOpenOptions,
  TypedSegment,
} from "./typed/index.ts";
