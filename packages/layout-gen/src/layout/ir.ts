import type { LibcTypeName, ScalarStorage, TargetName } from "@shmkit/core/targets";

/**
 * The layout IR: what the layout engine computes for one struct or union on one target, and what every emitter
 * (TypeScript accessors, C header, CLI reports) reads. Offsets and sizes are in bytes unless a name says bits.
 * The IR is plain data (JSON-serialisable but for nothing), so that it can be printed, diffed and fingerprinted.
 */

/**
 * Scalar storage kinds, as accessors read them. `f80`/`f128` are x87 extended and IEEE quad `long double`. One
 * definition, in the target tables, so that the tables and the IR cannot drift apart.
 */
export type ScalarKind = ScalarStorage;

/** The type of a field, resolved for one target. `cType` is how the C header spells it. */
export type FieldType =
  /** A scalar. */
  | {
      /** Discriminant. */
      readonly kind: "scalar";
      /** How accessors store it. */
      readonly scalar: ScalarKind;
      /** How the C header spells it (`int32_t`, `unsigned long`). */
      readonly cType: string;
    }
  /** `char name[length]`: a NUL-terminated UTF-8 string field. */
  | {
      /** Discriminant. */
      readonly kind: "string";
      /** Bytes, the terminating NUL included. */
      readonly length: number;
      /** Always `char`. */
      readonly cType: "char";
    }
  /** Multi-dimensional arrays nest: `int a[2][3]` is array(2) of array(3) of int. */
  | {
      /** Discriminant. */
      readonly kind: "array";
      /** The element type. */
      readonly element: FieldType;
      /** Number of elements. */
      readonly length: number;
    }
  /** A flexible array member (`T name[]`), last field only; size 0 in the struct. */
  | {
      /** Discriminant. */
      readonly kind: "flexible";
      /** The element type. */
      readonly element: FieldType;
    }
  /** A struct or union nested by value. */
  | {
      /** Discriminant. */
      readonly kind: "record";
      /** Its own layout, for the same target. */
      readonly layout: StructLayout;
    }
  /** A C enum. */
  | {
      /** Discriminant. */
      readonly kind: "enum";
      /** The enum tag. */
      readonly name: string;
      /** Member names and values. */
      readonly members: Readonly<Record<string, number>>;
      /** The integer type the target's C compiler gives this enum (usually u32 or i32). */
      readonly scalar: ScalarKind;
    }
  /** `_Atomic T`, accessed with Atomics; only lock-free sizes on the target are accepted. */
  | {
      /** Discriminant. */
      readonly kind: "atomic";
      /** How accessors store it. */
      readonly scalar: ScalarKind;
      /** How the C header spells `T`. */
      readonly cType: string;
    }
  /** pthread_mutex_t, pthread_cond_t, pthread_rwlock_t, sem_t: opaque bytes of the target's size. */
  | {
      /** Discriminant. */
      readonly kind: "libc";
      /** The libc type name. */
      readonly type: LibcTypeName;
    };

/** One member of a struct or union, placed for one target. */
export interface FieldLayout {
  /** The field name; unnamed bitfields have `name: undefined`. */
  readonly name: string | undefined;
  /**
   * Byte offset from the start of the struct. For a bitfield: the byte that holds its first bit (so
   * `offset * 8 + bitOffset` is the bit position in the struct, bits numbered from the least significant bit of
   * byte 0, as gcc and clang number them on these little-endian targets).
   */
  readonly offset: number;
  /** Bytes; for a bitfield, the bytes its bits touch (0 for a zero-width one), never past the struct's end. */
  readonly size: number;
  /** The field's alignment in this struct (1 when packed); for a bitfield, its type's member alignment. */
  readonly align: number;
  /** What the field holds, resolved for the target. */
  readonly type: FieldType;
  /**
   * `__attribute__((aligned(N)))` as the schema put it on the field (`t.align(N, …)`), if it did. Even where it
   * changes no offset it can matter to C: on i686, gcc keeps a record holding it aligned to 8 for an 8-byte
   * `_Atomic`. The C header writes it as given.
   */
  readonly alignAttribute?: number;
  /** Bitfields only: the position of the first bit (0 to 7), counted from `offset * 8`, and the width in bits. */
  readonly bitOffset?: number;
  /** Bitfields only: the width in bits. */
  readonly bitWidth?: number;
}

/** Bytes that belong to no field. */
export interface Hole {
  /** Offset of the first padding byte. */
  readonly offset: number;
  /** Padding bytes. */
  readonly size: number;
  /** The field after the hole, or undefined for tail padding. */
  readonly before: string | undefined;
}

/** A struct or union laid out for one target: what `layoutOf()` returns. */
export interface StructLayout {
  /** The C tag. */
  readonly name: string;
  /** Struct or union. */
  readonly kind: "struct" | "union";
  /** The target it was laid out for. */
  readonly target: TargetName;
  /** `sizeof`, tail padding included, flexible array member excluded. */
  readonly size: number;
  /** `_Alignof`. */
  readonly align: number;
  /** Whether it is `__attribute__((packed))`. */
  readonly packed: boolean;
  /** `__attribute__((aligned(N)))` on the struct, if any. */
  readonly alignAttribute: number | undefined;
  /** Members in declaration order, unnamed bitfields included. */
  readonly fields: readonly FieldLayout[];
  /** Padding between fields (not tail padding). */
  readonly holes: readonly Hole[];
  /** Padding bytes after the last field, up to `size`. */
  readonly tailPadding: number;
  /** A stable hash of what the bytes are (see `canonicalLayout`): equal fingerprints mean byte-compatible layouts, also across targets. */
  readonly fingerprint: string;
}
