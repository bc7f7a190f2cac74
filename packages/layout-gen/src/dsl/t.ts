import type { CScalarName, LibcTypeName } from "@shmkit/core/targets";
import type {
  AlignedSpec,
  ArraySpec,
  AtomicSpec,
  BitsSpec,
  EnumSpec,
  FlexSpec,
  LibcSpec,
  PointerSpec,
  ScalarSpec,
  StringSpec,
  TypeSpec,
} from "./types.ts";

const scalar = (c: CScalarName): ScalarSpec => Object.freeze({ kind: "scalar", c });
const libc = (type: LibcTypeName): LibcSpec => Object.freeze({ kind: "libc", type });

/**
 * The field types of the schema DSL. Fixed-width types (`t.i32`, `t.u64`, `t.f64`) are the same on every target;
 * C names (`t.int`, `t.long`, `t.size_t`, `t.long_double`, `t.char_`) resolve per target, as the C compiler does.
 * Arguments are checked when `struct()`/`union()` is called, so errors can name the struct and the field.
 *
 * @example
 * ```ts
 * const Sample = struct("Sample", {
 *   id: t.u32,
 *   name: t.char(16),                // char name[16]
 *   grid: t.array(t.i32, 2, 3),      // int32_t grid[2][3]
 *   mode: t.bits(t.u8, 3),           // uint8_t mode : 3
 *   _gap: t.pad(t.u8, 0),            // uint8_t : 0
 *   hits: t.atomic(t.u32),           // _Atomic uint32_t hits
 *   line: t.align(64, t.u64),        // uint64_t line __attribute__((aligned(64)))
 *   data: t.flex(t.u8),              // uint8_t data[]
 * });
 * ```
 */
export const t = Object.freeze({
  /** `int8_t`. */
  i8: scalar("int8_t"),
  /** `uint8_t`. */
  u8: scalar("uint8_t"),
  /** `int16_t`. */
  i16: scalar("int16_t"),
  /** `uint16_t`. */
  u16: scalar("uint16_t"),
  /** `int32_t`. */
  i32: scalar("int32_t"),
  /** `uint32_t`. */
  u32: scalar("uint32_t"),
  /** `int64_t`, read and written as `bigint`. */
  i64: scalar("int64_t"),
  /** `uint64_t`, read and written as `bigint`. */
  u64: scalar("uint64_t"),
  /** `float` (IEEE single). */
  f32: scalar("float"),
  /** `double` (IEEE double). */
  f64: scalar("double"),
  /** `_Bool` (`bool`), one byte. */
  bool: scalar("_Bool"),

  /** Plain `char`: signed on x86 and Apple arm64, unsigned on AArch64 Linux. For strings use `t.char(N)`. */
  char_: scalar("char"),
  /** `signed char`. */
  schar: scalar("signed char"),
  /** `unsigned char`. */
  uchar: scalar("unsigned char"),
  /** `short`. */
  short: scalar("short"),
  /** `unsigned short`. */
  ushort: scalar("unsigned short"),
  /** `int`. */
  int: scalar("int"),
  /** `unsigned int`. */
  uint: scalar("unsigned int"),
  /** `long`: 8 bytes on 64-bit targets, 4 on i686. */
  long: scalar("long"),
  /** `unsigned long`: 8 bytes on 64-bit targets, 4 on i686. */
  ulong: scalar("unsigned long"),
  /** `long long`: 8 bytes, 4-aligned on i686. */
  long_long: scalar("long long"),
  /** `unsigned long long`: 8 bytes, 4-aligned on i686. */
  ulong_long: scalar("unsigned long long"),
  /** `float`, the same as `t.f32`. */
  float: scalar("float"),
  /** `double`, the same as `t.f64` (4-aligned on i686). */
  double: scalar("double"),
  /** 16/16 (x87 80-bit) on x86_64, 16/16 (IEEE quad) on AArch64 Linux, 12/4 on i386, 8/8 on Apple arm64. */
  long_double: scalar("long double"),
  /** `size_t`: the target's pointer width, unsigned. */
  size_t: scalar("size_t"),
  /** `ssize_t`: the target's pointer width, signed. */
  ssize_t: scalar("ssize_t"),
  /** `ptrdiff_t`. */
  ptrdiff_t: scalar("ptrdiff_t"),
  /** `intptr_t`: an integer as wide as a pointer, not a pointer. */
  intptr_t: scalar("intptr_t"),
  /** `uintptr_t`: an integer as wide as a pointer, not a pointer. */
  uintptr_t: scalar("uintptr_t"),

  /** `pthread_mutex_t` of the target's size; a generated class exposes it as a `Mutex` and `create()` initialises it process-shared and robust. */
  pthread_mutex: libc("pthread_mutex_t"),
  /** `pthread_cond_t` of the target's size; exposed as a `Condition`, initialised process-shared on `CLOCK_MONOTONIC`. */
  pthread_cond: libc("pthread_cond_t"),
  /** `pthread_rwlock_t` of the target's size; the accessor gives its byte offset, and a typed `create()` refuses it (initialise it from C, then `attach()`). */
  pthread_rwlock: libc("pthread_rwlock_t"),
  /** `sem_t` of the target's size; the accessor gives its byte offset, and a typed `create()` refuses it (initialise it from C, then `attach()`). */
  sem: libc("sem_t"),

  /** `char name[length]`: a fixed-size NUL-terminated UTF-8 string. */
  char(length: number): StringSpec {
    return Object.freeze({ kind: "string", length });
  },

  /** `T name[a][b]…`: `t.array(T, 2, 3)` is the same as `t.array(t.array(T, 3), 2)`. */
  array(element: TypeSpec, ...lengths: [number, ...number[]]): ArraySpec {
    let spec: TypeSpec = element;
    for (let i = lengths.length - 1; i >= 0; i--) {
      spec = Object.freeze({ kind: "array", element: spec, length: lengths[i] as number });
    }
    return spec as ArraySpec;
  },

  /** A C enum (stored as the integer type the compiler picks: `unsigned int` or `int` for 32-bit values). */
  enum(name: string, members: Readonly<Record<string, number>>): EnumSpec {
    return Object.freeze({ kind: "enum", name, members: Object.freeze({ ...members }) });
  },

  /** `_Atomic T` for an integer or bool type, accessed with `Atomics`; refused where not lock-free. */
  atomic(element: ScalarSpec): AtomicSpec {
    return Object.freeze({ kind: "atomic", element });
  },

  /** A named bitfield `T name : width` (1 ≤ width ≤ bits of T) of an integer, bool or enum type. */
  bits(element: ScalarSpec | EnumSpec, width: number): BitsSpec {
    return Object.freeze({ kind: "bits", element, width, unnamed: false });
  },

  /**
   * An unnamed bitfield `T : width`, the C way to skip bits; width 0 closes the current storage unit so the next
   * bitfield starts at the next boundary of T. The key it is given in the schema (e.g. `_pad0`) is not a C name
   * and gets no accessor.
   */
  pad(element: ScalarSpec | EnumSpec, width: number): BitsSpec {
    return Object.freeze({ kind: "bits", element, width, unnamed: true });
  },

  /** `T name __attribute__((aligned(align)))`: align a field to a power of two (64 for a cache line). */
  align(align: number, element: TypeSpec): AlignedSpec {
    return Object.freeze({ kind: "aligned", align, element });
  },

  /** A flexible array member `T name[]`, last in a struct: the struct's size excludes it. */
  flex(element: TypeSpec): FlexSpec {
    return Object.freeze({ kind: "flex", element });
  },

  /**
   * Pointers are refused: every process maps a segment at its own address, so a pointer written by one is garbage
   * in another. Store an offset from the start of the segment instead (`t.u64` or `t.size_t`).
   */
  ptr(element?: TypeSpec): PointerSpec {
    return Object.freeze({ kind: "pointer", element });
  },
});
