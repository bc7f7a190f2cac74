/** Size and alignment, in bytes, of a C type as a member of a struct. */
export interface TypeInfo {
  /** `sizeof`. */
  readonly size: number;
  /** Alignment as a struct member. */
  readonly align: number;
}

/** The targets shmkit has C ABI tables for: `<arch>-<os>-<libc>` as compilers name them. */
export type TargetName =
  | "x86_64-linux-gnu"
  | "aarch64-linux-gnu"
  | "i686-linux-gnu"
  | "x86_64-linux-musl"
  | "aarch64-linux-musl"
  | "aarch64-apple-darwin"
  | "x86_64-apple-darwin";

/** The libc types that live inside shared segments. */
export type LibcTypeName = "pthread_mutex_t" | "pthread_cond_t" | "pthread_rwlock_t" | "sem_t";

/**
 * How a C scalar is stored: `i8`…`u64`, `f32`, `f64`, `bool`, and `f80`/`f128` for x87 extended and IEEE quad
 * `long double`. The same strings as layout-gen's `ScalarKind`.
 */
export type ScalarStorage =
  | "i8"
  | "u8"
  | "i16"
  | "u16"
  | "i32"
  | "u32"
  | "i64"
  | "u64"
  | "f32"
  | "f64"
  | "f80"
  | "f128"
  | "bool";

/** The C scalar types a schema can name; fixed-width names come from `<stdint.h>`. */
export type CScalarName =
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
  | "_Bool"
  | "size_t"
  | "ssize_t"
  | "ptrdiff_t"
  | "intptr_t"
  | "uintptr_t"
  | "int8_t"
  | "uint8_t"
  | "int16_t"
  | "uint16_t"
  | "int32_t"
  | "uint32_t"
  | "int64_t"
  | "uint64_t";

/** A C scalar on one target. `align` is its alignment as a struct member; `typeAlign` is `__alignof__(T)`. */
export interface ScalarInfo extends TypeInfo {
  /** How accessors store it. */
  readonly storage: ScalarStorage;
  /**
   * The type's own alignment (`__alignof__(T)` of a standalone object). It differs from `align` only on i386, where
   * `long long` and `double` are 8-aligned as types but 4-aligned as struct members (bitfields included).
   */
  readonly typeAlign: number;
}

/** Bitfield placement rules that differ between ABIs (all targets here follow the "PCC" type-matters rules). */
export interface BitfieldRules {
  /**
   * Whether an unnamed bitfield (including a zero-width one) raises the alignment of the enclosing struct to its
   * type's alignment. SysV i386/x86_64: no (psABI: "unnamed bit-fields' types do not affect the alignment of a
   * structure or union"). AAPCS64 (gcc/clang on Linux): yes, the container alignment counts.
   * Apple arm64: no (Apple's "Writing ARM64 code for Apple platforms" lists its departures from AAPCS64; clang's
   * Darwin AArch64 target turns UseZeroLengthBitfieldAlignment off). Each value is checked against gcc or clang
   * for its target by layout-gen's tests.
   */
  readonly unnamedAffectsAlign: boolean;
}

/** The C ABI facts of one target. */
export interface Target {
  /** The target's name. */
  readonly name: TargetName;
  /** The processor architecture. */
  readonly arch: "x86_64" | "aarch64" | "i686";
  /** The operating system. */
  readonly os: "linux" | "darwin";
  /** The C library. */
  readonly libc: "gnu" | "musl" | "darwin";
  /** Byte order: every target here is little-endian. */
  readonly endian: "little";
  /**
   * Which libc's bytes a `pthread_mutex_t`, `pthread_cond_t`, `pthread_rwlock_t` or `sem_t` holds: the libc and
   * the architecture its struct definitions are for. Two processes can share such an object only if this agrees
   * (glibc and musl both make `pthread_mutex_t` 40 bytes on x86_64, with different words in them), so layout
   * fingerprints include it for every libc field.
   */
  readonly libcAbi: string;
  /** Process-shared objects, from the libc headers cited in the table. */
  readonly libcTypes: Readonly<Record<LibcTypeName, TypeInfo>>;
  /** Whether plain `char` is signed (x86 and Apple arm64) or unsigned (AAPCS64 Linux). */
  readonly charSigned: boolean;
  /** `void *`: listed so that tools can explain the size they refuse to store. */
  readonly pointer: TypeInfo;
  /** Every C scalar name, resolved for this target. */
  readonly scalars: Readonly<Record<CScalarName, ScalarInfo>>;
  /** Sizes (bytes) of `_Atomic` integers that are always lock-free; an `_Atomic` of size N is N-aligned. */
  readonly lockFreeSizes: readonly number[];
  /** Where this ABI departs from the common bitfield rules. */
  readonly bitfields: BitfieldRules;
  /**
   * A C enum whose values fit in 32 bits: `unsigned int` when no value is negative, else `int` (gcc "Structures,
   * Unions, Enumerations, and Bit-Fields" implementation notes; clang agrees; -fshort-enums is not the default on
   * any of these ABIs; AAPCS64 §10.1.6 fixes the container at 4 bytes for such enums).
   */
  readonly enums: TypeInfo;
}

const ti = (size: number, align: number): TypeInfo => ({ size, align });

// glibc: sysdeps/x86/nptl/bits/pthreadtypes-arch.h, sysdeps/aarch64/nptl/bits/pthreadtypes-arch.h,
//        sysdeps/x86/bits/semaphore.h, sysdeps/aarch64/bits/semaphore.h (alignment from the `long int __align` member).
// musl:  arch/generic/bits/alltypes.h.in (`int __i[sizeof(long)==8?10:6]` etc. in a union with pointers).
// Darwin: sys/_pthread/_pthread_types.h (`long __sig; char __opaque[__PTHREAD_MUTEX_SIZE__]`), sys/semaphore.h (`int`).
const GLIBC_X86_64 = {
  pthread_mutex_t: ti(40, 8),
  pthread_cond_t: ti(48, 8),
  pthread_rwlock_t: ti(56, 8),
  sem_t: ti(32, 8),
};
const GLIBC_AARCH64 = {
  pthread_mutex_t: ti(48, 8),
  pthread_cond_t: ti(48, 8),
  pthread_rwlock_t: ti(56, 8),
  sem_t: ti(32, 8),
};
const GLIBC_I686 = {
  pthread_mutex_t: ti(24, 4),
  pthread_cond_t: ti(48, 4),
  pthread_rwlock_t: ti(32, 4),
  sem_t: ti(16, 4),
};
const MUSL_64 = {
  pthread_mutex_t: ti(40, 8),
  pthread_cond_t: ti(48, 8),
  pthread_rwlock_t: ti(56, 8),
  sem_t: ti(32, 4),
};
const DARWIN_64 = {
  pthread_mutex_t: ti(64, 8),
  pthread_cond_t: ti(48, 8),
  pthread_rwlock_t: ti(200, 8),
  sem_t: ti(4, 4),
};

const sc = (storage: ScalarStorage, size: number, align: number, typeAlign = align): ScalarInfo => ({
  storage,
  size,
  align,
  typeAlign,
});

/** The scalars every target here agrees on (two's complement, IEEE 754, 8-bit bytes). */
function scalars(opts: {
  charSigned: boolean;
  long: 4 | 8;
  /** Member alignment of 8-byte integers and `double` (4 on i386). */
  align8: 4 | 8;
  longDouble: ScalarInfo;
}): Record<CScalarName, ScalarInfo> {
  const long = opts.long === 8 ? sc("i64", 8, 8) : sc("i32", 4, 4);
  const ulong = opts.long === 8 ? sc("u64", 8, 8) : sc("u32", 4, 4);
  const i64 = sc("i64", 8, opts.align8, 8);
  const u64 = sc("u64", 8, opts.align8, 8);
  return {
    char: opts.charSigned ? sc("i8", 1, 1) : sc("u8", 1, 1),
    "signed char": sc("i8", 1, 1),
    "unsigned char": sc("u8", 1, 1),
    short: sc("i16", 2, 2),
    "unsigned short": sc("u16", 2, 2),
    int: sc("i32", 4, 4),
    "unsigned int": sc("u32", 4, 4),
    long,
    "unsigned long": ulong,
    "long long": i64,
    "unsigned long long": u64,
    float: sc("f32", 4, 4),
    double: sc("f64", 8, opts.align8, 8),
    "long double": opts.longDouble,
    _Bool: sc("bool", 1, 1),
    size_t: ulong,
    ssize_t: long,
    ptrdiff_t: long,
    intptr_t: long,
    uintptr_t: ulong,
    int8_t: sc("i8", 1, 1),
    uint8_t: sc("u8", 1, 1),
    int16_t: sc("i16", 2, 2),
    uint16_t: sc("u16", 2, 2),
    int32_t: sc("i32", 4, 4),
    uint32_t: sc("u32", 4, 4),
    int64_t: i64,
    uint64_t: u64,
  };
}

// Scalars. x86_64: System V AMD64 psABI §3.1.2 (Figure 3.1): LP64, `long double` is x87 80-bit in 16 bytes,
// 16-aligned; char signed. i386: System V i386 psABI (Intel386 supplement, Figure 2-1) and gcc's
// x86_field_alignment: ILP32, `long long`/`double` 8-aligned as types but 4-aligned inside structs,
// `long double` 12 bytes 4-aligned. AArch64 Linux: AAPCS64 §5.1/§10.1 (Procedure Call Standard for the Arm
// 64-bit Architecture): LP64, `long double` is IEEE quad (16/16), plain char unsigned. Apple arm64: "Writing ARM64
// code for Apple platforms": `long double` is `double` (8/8), char signed. Apple x86_64 follows the SysV psABI.
// musl uses the same psABIs as glibc for these types (musl arch/*/bits/alltypes.h.in: size_t is unsigned long).
const LP64_X86 = scalars({ charSigned: true, long: 8, align8: 8, longDouble: sc("f80", 16, 16) });
const LP64_AAPCS = scalars({ charSigned: false, long: 8, align8: 8, longDouble: sc("f128", 16, 16) });
const ILP32_I386 = scalars({ charSigned: true, long: 4, align8: 4, longDouble: sc("f80", 12, 4) });
const LP64_APPLE_ARM = scalars({ charSigned: true, long: 8, align8: 8, longDouble: sc("f64", 8, 8) });

// Lock-free atomics: gcc/clang report `__atomic_always_lock_free(N, 0)` for 1, 2, 4 and 8 bytes on all of these
// (i386 through cmpxchg8b, i686 and later); 16-byte atomics go through libatomic and are not lock-free.
// C11 `_Atomic` raises the alignment of an 8-byte type to 8 even on i386 (gcc c-common: atomic types are
// aligned to their size when that size is lock-free).
const LOCK_FREE = [1, 2, 4, 8] as const;

// Bitfields: SysV psABIs (x86_64 §3.1.2 "Bit-Fields", i386 "Bit-Fields"), AAPCS64 §10.1.8 and gcc's
// TARGET_ALIGN_ANON_BITFIELD (true on AArch64), Apple arm64 (clang DarwinAArch64TargetInfo turns
// UseZeroLengthBitfieldAlignment off).
const SYSV_BITS: BitfieldRules = { unnamedAffectsAlign: false };
const AAPCS64_BITS: BitfieldRules = { unnamedAffectsAlign: true };
const APPLE_ARM64_BITS: BitfieldRules = { unnamedAffectsAlign: false };

const ENUM = ti(4, 4);
const P64 = ti(8, 8);
const P32 = ti(4, 4);

/** Every target's table, by name. */
export const TARGETS: Readonly<Record<TargetName, Target>> = {
  "x86_64-linux-gnu": {
    name: "x86_64-linux-gnu",
    libcAbi: "glibc/x86_64",
    arch: "x86_64",
    os: "linux",
    libc: "gnu",
    endian: "little",
    libcTypes: GLIBC_X86_64,
    charSigned: true,
    pointer: P64,
    scalars: LP64_X86,
    lockFreeSizes: LOCK_FREE,
    bitfields: SYSV_BITS,
    enums: ENUM,
  },
  "aarch64-linux-gnu": {
    name: "aarch64-linux-gnu",
    libcAbi: "glibc/aarch64",
    arch: "aarch64",
    os: "linux",
    libc: "gnu",
    endian: "little",
    libcTypes: GLIBC_AARCH64,
    charSigned: false,
    pointer: P64,
    scalars: LP64_AAPCS,
    lockFreeSizes: LOCK_FREE,
    bitfields: AAPCS64_BITS,
    enums: ENUM,
  },
  "i686-linux-gnu": {
    name: "i686-linux-gnu",
    libcAbi: "glibc/i686",
    arch: "i686",
    os: "linux",
    libc: "gnu",
    endian: "little",
    libcTypes: GLIBC_I686,
    charSigned: true,
    pointer: P32,
    scalars: ILP32_I386,
    lockFreeSizes: LOCK_FREE,
    bitfields: SYSV_BITS,
    enums: ENUM,
  },
  "x86_64-linux-musl": {
    name: "x86_64-linux-musl",
    libcAbi: "musl/x86_64",
    arch: "x86_64",
    os: "linux",
    libc: "musl",
    endian: "little",
    libcTypes: MUSL_64,
    charSigned: true,
    pointer: P64,
    scalars: LP64_X86,
    lockFreeSizes: LOCK_FREE,
    bitfields: SYSV_BITS,
    enums: ENUM,
  },
  "aarch64-linux-musl": {
    name: "aarch64-linux-musl",
    libcAbi: "musl/aarch64",
    arch: "aarch64",
    os: "linux",
    libc: "musl",
    endian: "little",
    libcTypes: MUSL_64,
    charSigned: false,
    pointer: P64,
    scalars: LP64_AAPCS,
    lockFreeSizes: LOCK_FREE,
    bitfields: AAPCS64_BITS,
    enums: ENUM,
  },
  "aarch64-apple-darwin": {
    name: "aarch64-apple-darwin",
    libcAbi: "darwin/aarch64",
    arch: "aarch64",
    os: "darwin",
    libc: "darwin",
    endian: "little",
    libcTypes: DARWIN_64,
    charSigned: true,
    pointer: P64,
    scalars: LP64_APPLE_ARM,
    lockFreeSizes: LOCK_FREE,
    bitfields: APPLE_ARM64_BITS,
    enums: ENUM,
  },
  "x86_64-apple-darwin": {
    name: "x86_64-apple-darwin",
    libcAbi: "darwin/x86_64",
    arch: "x86_64",
    os: "darwin",
    libc: "darwin",
    endian: "little",
    libcTypes: DARWIN_64,
    charSigned: true,
    pointer: P64,
    scalars: LP64_X86,
    lockFreeSizes: LOCK_FREE,
    bitfields: SYSV_BITS,
    enums: ENUM,
  },
};

/** The names of `TARGETS`, in table order. */
export const TARGET_NAMES = Object.keys(TARGETS) as readonly TargetName[];

/** The target called `name`, or undefined. */
export function findTarget(name: string): Target | undefined {
  return Object.hasOwn(TARGETS, name) ? TARGETS[name as TargetName] : undefined;
}

/** The target called `name`; throws RangeError naming the known targets otherwise. */
export function getTargetOrThrow(name: string): Target {
  const target = findTarget(name);
  if (!target)
    throw new RangeError(`target: must be one of ${TARGET_NAMES.join(", ")}, got ${JSON.stringify(name)}`);
  return target;
}

/** True when this Linux process runs on musl (Alpine) rather than glibc. */
function isMusl(): boolean {
  // Deno's process.report needs --allow-sys and makes its header up; Deno.build says what Deno was built for.
  const deno = (globalThis as { Deno?: { build?: { env?: string } } }).Deno;
  if (deno) return deno.build?.env === "musl";
  // glibc fills in the glibc version in process.report's header; musl leaves it out.
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)
    ?.header;
  return header !== undefined && header.glibcVersionRuntime === undefined;
}

let host: Target | undefined;

/** The target this process runs on. Throws on a platform shmkit has no table for. */
export function hostTarget(): Target {
  if (host) return host;
  const arch =
    process.arch === "x64"
      ? "x86_64"
      : process.arch === "arm64"
        ? "aarch64"
        : process.arch === "ia32"
          ? "i686"
          : undefined;
  const os = process.platform === "linux" ? "linux" : process.platform === "darwin" ? "darwin" : undefined;
  if (!arch || !os) {
    throw new Error(
      `shmkit has no C ABI table for ${process.platform}/${process.arch}; supported: ${TARGET_NAMES.join(", ")}`,
    );
  }
  const name = os === "darwin" ? `${arch}-apple-darwin` : `${arch}-linux-${isMusl() ? "musl" : "gnu"}`;
  host = getTargetOrThrow(name);
  return host;
}
