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
  i8: scalar("int8_t"),
  u8: scalar("uint8_t"),
  i16: scalar("int16_t"),
  u16: scalar("uint16_t"),
  i32: scalar("int32_t"),
  u32: scalar("uint32_t"),
  i64: scalar("int64_t"),
  u64: scalar("uint64_t"),
  f32: scalar("float"),
  f64: scalar("double"),
  bool: scalar("_Bool"),

  /** Plain `char`: signed on x86 and Apple arm64, unsigned on AArch64 Linux. For strings use `t.char(N)`. */
  char_: scalar("char"),
  schar: scalar("signed char"),
  uchar: scalar("unsigned char"),
  short: scalar("short"),
  ushort: scalar("unsigned short"),
  int: scalar("int"),
  uint: scalar("unsigned int"),
  long: scalar("long"),
  ulong: scalar("unsigned long"),
  long_long: scalar("long long"),
  ulong_long: scalar("unsigned long long"),
  float: scalar("float"),
  double: scalar("double"),
  /** 16/16 (x87 80-bit) on x86_64, 16/16 (IEEE quad) on AArch64 Linux, 12/4 on i386, 8/8 on Apple arm64. */
  long_double: scalar("long double"),
  size_t: scalar("size_t"),
  ssize_t: scalar("ssize_t"),
  ptrdiff_t: scalar("ptrdiff_t"),
  intptr_t: scalar("intptr_t"),
  uintptr_t: scalar("uintptr_t"),

  pthread_mutex: libc("pthread_mutex_t"),
  pthread_cond: libc("pthread_cond_t"),
  pthread_rwlock: libc("pthread_rwlock_t"),
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
