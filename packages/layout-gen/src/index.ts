/**
 * `@shmkit/layout-gen`: a schema DSL for C structs, laid out per target exactly as the C compiler does. The
 * TypeScript and C emitters are in `@shmkit/layout-gen/emit`, so that loading a schema never loads ts-morph.
 *
 * @example
 * ```ts
 * import { layoutOf, struct, t } from "@shmkit/layout-gen";
 * const Point = struct("Point", { x: t.f64, y: t.f64 });
 * layoutOf(Point).size; // 16
 * ```
 *
 * @packageDocumentation
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
  canonicalLayout,
  fieldDigests,
  fingerprintOf,
  type LayoutOptions,
  layoutOf,
} from "./layout/index.ts";
export type { FieldLayout, FieldType, Hole, ScalarKind, StructLayout } from "./layout/ir.ts";
