export { HandleArray, StringArray, UnalignedArray, type UnalignedKind } from "./arrays.ts";
export { AtomicBigInt, AtomicNumber } from "./atomic.ts";
export { readBits, readBitsBig, writeBits, writeBitsBig } from "./bits.ts";
export {
  type FieldDigest,
  type FieldEntry,
  firstDifference,
  type HeaderLayout,
  readFieldTable,
} from "./fields.ts";
export {
  dataOffsetFor,
  fieldNameHash,
  HEADER,
  HEADER_FIELD,
  SHMKIT_FORMAT_VERSION,
  SHMKIT_MAGIC,
} from "./header.ts";
export { fitUtf8, readCString, writeCString } from "./strings.ts";
export {
  type SyncField,
  type TypedClass,
  type TypedCreateOptions,
  type TypedOpenOptions,
  TypedSegment,
} from "./typed-segment.ts";
export { Views, viewsOf } from "./views.ts";
