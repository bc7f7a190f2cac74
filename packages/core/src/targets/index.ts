/**
 * Per-target C ABI facts: the sizes and alignments of primitive and libc types.
 *
 * This module is pure data (no FFI), shared by `@shmkit/core` (which checks offsets of process-shared
 * objects against the host target) and `@shmkit/layout-gen` (which lays out structs for any target).
 * Every number cites the header or ABI document it comes from in `table.ts`.
 *
 * @packageDocumentation
 */

export { type FixedStorage, STORAGE, type StorageInfo, storageOf } from "./storage.ts";
export type {
  BitfieldRules,
  CScalarName,
  LibcTypeName,
  ScalarInfo,
  ScalarStorage,
  Target,
  TargetName,
  TypeInfo,
} from "./table.ts";
export { findTarget, getTargetOrThrow, hostTarget, TARGET_NAMES, TARGETS } from "./table.ts";
