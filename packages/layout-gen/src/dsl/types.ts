import type { CScalarName, LibcTypeName } from "@shmkit/core/targets";

/**
 * The schema model the DSL builds: target-independent type descriptions that `layoutOf()` resolves per target.
 * Values are frozen plain objects; build them with `t`, `struct()` and `union()` rather than by hand.
 */
export type TypeSpec =
  | ScalarSpec
  | StringSpec
  | ArraySpec
  | RecordDef
  | EnumSpec
  | AtomicSpec
  | BitsSpec
  | AlignedSpec
  | FlexSpec
  | LibcSpec
  | PointerSpec;

/** A C scalar by name (`int32_t`, `long`, `char`, `long double`, …), resolved per target. */
export interface ScalarSpec {
  readonly kind: "scalar";
  readonly c: CScalarName;
}

/** `char name[length]`: a NUL-terminated UTF-8 string of at most `length - 1` bytes. */
export interface StringSpec {
  readonly kind: "string";
  readonly length: number;
}

export interface ArraySpec {
  readonly kind: "array";
  readonly element: TypeSpec;
  readonly length: number;
}

export interface EnumSpec {
  readonly kind: "enum";
  readonly name: string;
  readonly members: Readonly<Record<string, number>>;
}

/** `_Atomic T` for an integer or bool T; accepted only where lock-free on the target. */
export interface AtomicSpec {
  readonly kind: "atomic";
  readonly element: ScalarSpec;
}

/** `T name : width`, or, with `unnamed`, the padding bitfield `T : width` (width 0 aligns the next field). */
export interface BitsSpec {
  readonly kind: "bits";
  readonly element: ScalarSpec | EnumSpec;
  readonly width: number;
  readonly unnamed: boolean;
}

/** `T name __attribute__((aligned(align)))`. */
export interface AlignedSpec {
  readonly kind: "aligned";
  readonly align: number;
  readonly element: TypeSpec;
}

/** `T name[]`: a flexible array member, last in a struct; it adds no size. */
export interface FlexSpec {
  readonly kind: "flex";
  readonly element: TypeSpec;
}

/** An opaque libc object (`pthread_mutex_t` …) of the target's size, initialised as process-shared. */
export interface LibcSpec {
  readonly kind: "libc";
  readonly type: LibcTypeName;
}

/** A pointer: refused by `struct()`, with a message to store an offset instead. */
export interface PointerSpec {
  readonly kind: "pointer";
  readonly element: TypeSpec | undefined;
}

export interface FieldDef {
  /** The C member name; for an unnamed bitfield (`t.pad`), the key it was given in the schema. */
  readonly name: string;
  readonly type: TypeSpec;
}

export interface RecordOptions {
  /** `__attribute__((packed))`: every member 1-aligned (bitfields packed to the bit). */
  readonly packed?: boolean;
  /** `__attribute__((aligned(align)))` on the struct: raises its alignment (and so rounds its size). */
  readonly align?: number;
}

/** A struct or union definition, usable as a field type (nested by value). */
export interface RecordDef {
  readonly kind: "struct" | "union";
  readonly name: string;
  readonly fields: readonly FieldDef[];
  readonly packed: boolean;
  readonly align: number | undefined;
}
