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
  /** Discriminant of {@link TypeSpec}. */
  readonly kind: "scalar";
  /** The C name, e.g. `"int32_t"` or `"unsigned long"`. */
  readonly c: CScalarName;
}

/** `char name[length]`: a NUL-terminated UTF-8 string of at most `length - 1` bytes. */
export interface StringSpec {
  /** Discriminant of {@link TypeSpec}. */
  readonly kind: "string";
  /** Bytes in the array, the terminating NUL included. */
  readonly length: number;
}

/** `T name[length]`; a multi-dimensional array is an array of arrays. */
export interface ArraySpec {
  /** Discriminant of {@link TypeSpec}. */
  readonly kind: "array";
  /** The element type (an array again for the inner dimensions). */
  readonly element: TypeSpec;
  /** Number of elements, at least 1. */
  readonly length: number;
}

/** `enum name { … }`: named integer constants, stored as the integer type the target's compiler picks. */
export interface EnumSpec {
  /** Discriminant of {@link TypeSpec}. */
  readonly kind: "enum";
  /** The C enum tag. */
  readonly name: string;
  /** Member names and their values. */
  readonly members: Readonly<Record<string, number>>;
}

/** `_Atomic T` for an integer or bool T; accepted only where lock-free on the target. */
export interface AtomicSpec {
  /** Discriminant of {@link TypeSpec}. */
  readonly kind: "atomic";
  /** The integer or bool type made atomic. */
  readonly element: ScalarSpec;
}

/** `T name : width`, or, with `unnamed`, the padding bitfield `T : width` (width 0 aligns the next field). */
export interface BitsSpec {
  /** Discriminant of {@link TypeSpec}. */
  readonly kind: "bits";
  /** The declared type of the bitfield: an integer, bool or enum. */
  readonly element: ScalarSpec | EnumSpec;
  /** Width in bits. */
  readonly width: number;
  /** True for a padding bitfield made with `t.pad`, which has no C name and no accessor. */
  readonly unnamed: boolean;
}

/** `T name __attribute__((aligned(align)))`. */
export interface AlignedSpec {
  /** Discriminant of {@link TypeSpec}. */
  readonly kind: "aligned";
  /** The requested alignment in bytes, a power of two. */
  readonly align: number;
  /** The field's type. */
  readonly element: TypeSpec;
}

/** `T name[]`: a flexible array member, last in a struct; it adds no size. */
export interface FlexSpec {
  /** Discriminant of {@link TypeSpec}. */
  readonly kind: "flex";
  /** The element type. */
  readonly element: TypeSpec;
}

/** An opaque libc object (`pthread_mutex_t` …) of the target's size, initialised as process-shared. */
export interface LibcSpec {
  /** Discriminant of {@link TypeSpec}. */
  readonly kind: "libc";
  /** The libc type name, e.g. `"pthread_mutex_t"`. */
  readonly type: LibcTypeName;
}

/** A pointer: refused by `struct()`, with a message to store an offset instead. */
export interface PointerSpec {
  /** Discriminant of {@link TypeSpec}. */
  readonly kind: "pointer";
  /** The pointee, if one was given. */
  readonly element: TypeSpec | undefined;
}

/** One member of a {@link RecordDef}, in declaration order. */
export interface FieldDef {
  /** The C member name; for an unnamed bitfield (`t.pad`), the key it was given in the schema. */
  readonly name: string;
  /** The member's type. */
  readonly type: TypeSpec;
}

/** Options of `struct()` and `union()`. */
export interface RecordOptions {
  /** `__attribute__((packed))`: every member 1-aligned (bitfields packed to the bit). */
  readonly packed?: boolean;
  /** `__attribute__((aligned(align)))` on the struct: raises its alignment (and so rounds its size). */
  readonly align?: number;
}

/** A struct or union definition, usable as a field type (nested by value). */
export interface RecordDef {
  /** Whether it was made by `struct()` or `union()`. */
  readonly kind: "struct" | "union";
  /** The C tag, also the name of the generated class. */
  readonly name: string;
  /** Members in declaration order. */
  readonly fields: readonly FieldDef[];
  /** `__attribute__((packed))`. */
  readonly packed: boolean;
  /** `__attribute__((aligned(N)))` on the record, if given. */
  readonly align: number | undefined;
}
