/**
 * C declarations as clang's front end sees them: what `shmkit import` turns into a schema and what `shmkit verify`
 * compares field lists with. Only what a shared-memory struct can hold; pointers are refused where they are met.
 */

/** Builtin C arithmetic types, spelled as clang prints them. */
export type CBuiltin =
  | "char"
  | "signed char"
  | "unsigned char"
  | "short"
  | "unsigned short"
  | "int"
  | "unsigned int"
  | "long"
  | "unsigned long"
  | "long long"
  | "unsigned long long"
  | "float"
  | "double"
  | "long double"
  | "_Bool";

/** The <stdint.h>/<stddef.h> names kept as such, so that the schema says what the header says. */
export type CStdName =
  | "int8_t"
  | "int16_t"
  | "int32_t"
  | "int64_t"
  | "uint8_t"
  | "uint16_t"
  | "uint32_t"
  | "uint64_t"
  | "size_t"
  | "ssize_t"
  | "intptr_t"
  | "uintptr_t"
  | "ptrdiff_t";

export type CLibcName = "pthread_mutex_t" | "pthread_cond_t" | "pthread_rwlock_t" | "sem_t";

export type CType =
  | { readonly kind: "builtin"; readonly name: CBuiltin }
  | { readonly kind: "std"; readonly name: CStdName }
  | { readonly kind: "libc"; readonly name: CLibcName }
  | { readonly kind: "array"; readonly element: CType; readonly length: number }
  /** `T name[]`, the last member only. */
  | { readonly kind: "flexible"; readonly element: CType }
  | { readonly kind: "record"; readonly record: CRecord }
  | { readonly kind: "enum"; readonly enum: CEnum }
  | { readonly kind: "atomic"; readonly value: CType }
  /** A type no schema can hold (a pointer, say): only `verify` reads such members, for their place and name. */
  | { readonly kind: "opaque"; readonly spelling: string };

export interface CField {
  /** Undefined for unnamed bitfields. */
  readonly name: string | undefined;
  readonly type: CType;
  /** Bitfields only. */
  readonly bitWidth?: number;
  /** `__attribute__((aligned(N)))` or `_Alignas(N)` on the member. */
  readonly align?: number;
  /** `file:line` of the declaration, for messages. */
  readonly where: string;
}

export interface CRecord {
  /** The name a schema gives it: the typedef name if there is one, else the tag, else a made-up name. */
  readonly name: string;
  /** How C code names it: `struct order`, `Order` (a typedef), ... */
  readonly spelling: string;
  readonly tag: string | undefined;
  /** True for a struct or union with neither tag nor typedef, nested in another (`union { … } value;`). */
  readonly anonymous: boolean;
  readonly kind: "struct" | "union";
  readonly fields: readonly CField[];
  readonly packed: boolean;
  readonly align: number | undefined;
  readonly where: string;
}

export interface CEnum {
  readonly name: string;
  readonly members: Readonly<Record<string, number>>;
}
