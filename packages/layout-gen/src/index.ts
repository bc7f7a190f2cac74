/**
 * `@shmkit/layout-gen`: a schema DSL for C structs, laid out per target exactly as the C compiler does.
 *
 * @example
 * ```ts
 * import { layoutOf, struct, t } from "@shmkit/layout-gen";
 * const Point = struct("Point", { x: t.f64, y: t.f64 });
 * layoutOf(Point).size; // 16
 * ```
 */

export type {
  AlignedSpec,
  ArraySpec,
  AtomicSpec,
  BitsSpec,
  EnumSpec,
  FieldDef,
  FlexSpec,
  LibcSpec,
  PointerSpec,
  RecordDef,
  RecordOptions,
  ScalarSpec,
  StringSpec,
  TypeSpec,
} from "./dsl/index.ts";
export { SchemaError, struct, t, union } from "./dsl/index.ts";
export {
  type EmitCHeaderOptions,
  type EmitTypeScriptOptions,
  emitCHeader,
  emitTypeScript,
  enumConstant,
  type Generated,
  type GenerateOptions,
  generate,
} from "./emit/index.ts";
export {
  canonicalLayout,
  fieldDigests,
  fingerprintOf,
  type LayoutOptions,
  layoutOf,
} from "./layout/index.ts";
export type { FieldLayout, FieldType, Hole, ScalarKind, StructLayout } from "./layout/ir.ts";
