export { ShmArgumentError, ShmError, type ShmErrorCode, type ShmkitCode } from "./errors.ts";
export type { SegmentStat } from "./internal/stat.ts";
export { NAME_MAX, normalizeName } from "./names.ts";
export {
  type AnonymousOptions,
  type CreateOptions,
  MAX_SEGMENT_SIZE,
  type OpenOptions,
  Segment,
  type SegmentInfo,
} from "./segment.ts";
