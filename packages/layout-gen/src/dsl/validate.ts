import { SchemaError } from "./errors.ts";
import type { FieldDef, RecordDef, TypeSpec } from "./types.ts";

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

// C11 keywords (§6.4.1) and the names generated code relies on; a member named `int` would not compile.
const RESERVED = new Set(
  (
    "auto break case char const continue default do double else enum extern float for goto if inline int long " +
    "register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while " +
    "_Alignas _Alignof _Atomic _Bool _Complex _Generic _Imaginary _Noreturn _Static_assert _Thread_local"
  ).split(" "),
);

const SCALAR_BITS: Readonly<Record<string, number>> = {
  char: 8,
  "signed char": 8,
  "unsigned char": 8,
  int8_t: 8,
  uint8_t: 8,
  short: 16,
  "unsigned short": 16,
  int16_t: 16,
  uint16_t: 16,
  int: 32,
  "unsigned int": 32,
  int32_t: 32,
  uint32_t: 32,
  int64_t: 64,
  uint64_t: 64,
  "long long": 64,
  "unsigned long long": 64,
  _Bool: 1,
};
/** Integer types whose width depends on the target: checked again by layoutOf(). */
const TARGET_INTEGERS = new Set([
  "long",
  "unsigned long",
  "size_t",
  "ssize_t",
  "ptrdiff_t",
  "intptr_t",
  "uintptr_t",
]);

/** Throws unless `name` can be a C identifier. */
export function checkIdentifier(
  name: unknown,
  struct: string,
  field: string | undefined,
  what: string,
): void {
  if (typeof name !== "string" || !IDENT.test(name) || RESERVED.has(name)) {
    throw new SchemaError(
      struct,
      field,
      `${what} must be a C identifier (not a keyword), got ${JSON.stringify(name)}`,
    );
  }
}

const isPowerOfTwo = (n: unknown): n is number =>
  typeof n === "number" && Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0 && n <= 1 << 28;

const isLength = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 1;

/** Integer (or bool) type width in bits, or undefined for floats; -1 for widths that depend on the target. */
export function integerBits(c: string): number | undefined {
  if (c in SCALAR_BITS) return SCALAR_BITS[c];
  return TARGET_INTEGERS.has(c) ? -1 : undefined;
}

/** Checks a schema the way a C compiler would, plus the shared-memory rules (no pointers). */
export function validateRecord(def: RecordDef): void {
  const s = def.name;
  checkIdentifier(s, s, undefined, `${def.kind} name`);
  if (def.align !== undefined && !isPowerOfTwo(def.align)) {
    throw new SchemaError(s, undefined, `align must be a power of two, got ${String(def.align)}`);
  }
  if (!def.fields.some((f) => !(f.type.kind === "bits" && f.type.unnamed) && f.type.kind !== "flex")) {
    throw new SchemaError(
      s,
      undefined,
      `a ${def.kind} needs at least one named member that is not a flexible array`,
    );
  }
  const seen = new Set<string>();
  def.fields.forEach((field, i) => {
    checkIdentifier(field.name, s, field.name, "field name");
    if (seen.has(field.name)) throw new SchemaError(s, field.name, "duplicate field name");
    seen.add(field.name);
    if (field.type.kind === "flex") {
      if (def.kind === "union")
        throw new SchemaError(s, field.name, "a union cannot have a flexible array member");
      if (i !== def.fields.length - 1) {
        throw new SchemaError(s, field.name, "a flexible array member (t.flex) must be the last field");
      }
    }
    validateType(field.type, s, field, true);
  });
  checkTags(def);
}

function validateType(type: TypeSpec, s: string, field: FieldDef, top: boolean): void {
  const f = field.name;
  const fail = (problem: string): never => {
    throw new SchemaError(s, f, problem);
  };
  if (type === null || typeof type !== "object" || typeof (type as { kind?: unknown }).kind !== "string") {
    fail(`must be a type from t.… or a struct()/union(), got ${String(type)}`);
  }
  switch (type.kind) {
    case "scalar":
      if (
        !(type.c in SCALAR_BITS) &&
        !TARGET_INTEGERS.has(type.c) &&
        !["float", "double", "long double"].includes(type.c)
      ) {
        fail(`unknown scalar type ${JSON.stringify(type.c)}`);
      }
      return;
    case "string":
      if (!isLength(type.length))
        fail(`t.char(length): length must be an integer ≥ 1, got ${String(type.length)}`);
      return;
    case "array":
      if (!isLength(type.length)) {
        fail(
          `t.array length must be an integer ≥ 1 (use t.flex for a flexible array), got ${String(type.length)}`,
        );
      }
      if (type.element.kind === "bits" || type.element.kind === "flex")
        fail(`an array cannot hold a ${type.element.kind === "bits" ? "bitfield" : "flexible array"}`);
      validateType(type.element, s, field, false);
      return;
    case "struct":
    case "union":
      if (type.fields.at(-1)?.type.kind === "flex") {
        fail(
          `${type.name} ends in a flexible array member, so it cannot be nested in another struct or array`,
        );
      }
      return;
    case "enum":
      validateEnum(type.name, type.members, s, f);
      return;
    case "atomic": {
      const bits = type.element?.kind === "scalar" ? integerBits(type.element.c) : undefined;
      if (bits === undefined) {
        fail(
          "t.atomic() takes an integer or bool type (Atomics work on integers only; store floats as their bits)",
        );
      }
      return;
    }
    case "bits": {
      if (!top) fail("a bitfield must be a direct member of a struct or union");
      const el = type.element;
      if (el?.kind === "enum") validateEnum(el.name, el.members, s, f);
      const bits = el?.kind === "enum" ? 32 : el?.kind === "scalar" ? integerBits(el.c) : undefined;
      if (bits === undefined) fail("a bitfield must have an integer, bool or enum type");
      const w = type.width;
      if (typeof w !== "number" || !Number.isInteger(w) || w < 0 || (bits !== -1 && w > (bits as number))) {
        fail(
          `bitfield width must be an integer from ${type.unnamed ? 0 : 1} to ${bits === -1 ? "the type's width" : bits}, got ${String(w)}`,
        );
      }
      if (w === 0 && !type.unnamed)
        fail("a named bitfield cannot have width 0; use t.pad(T, 0) for a zero-width bitfield");
      return;
    }
    case "aligned":
      if (!top)
        fail("t.align() applies to a whole field; put it outermost, e.g. t.align(16, t.array(t.i32, 4))");
      if (!isPowerOfTwo(type.align))
        fail(`t.align(N, T): N must be a power of two, got ${String(type.align)}`);
      if (type.element.kind === "bits" || type.element.kind === "flex") {
        fail(`t.align() cannot wrap a ${type.element.kind === "bits" ? "bitfield" : "flexible array"}`);
      }
      validateType(type.element, s, field, false);
      return;
    case "flex":
      if (!top) fail("t.flex() must be a field of its own, not nested in another type");
      if (type.element.kind === "flex" || type.element.kind === "bits")
        fail("t.flex() needs an element type");
      validateType(type.element, s, field, false);
      return;
    case "libc":
      return;
    case "pointer":
      fail(
        "pointers cannot live in shared memory: each process maps the segment at its own address, so a pointer " +
          "written by one is garbage in another; store an offset from the start of the segment instead (t.u64 or t.size_t)",
      );
      return;
    default:
      fail(`unknown type kind ${JSON.stringify((type as { kind: string }).kind)}`);
  }
}

function validateEnum(name: string, members: Readonly<Record<string, number>>, s: string, f: string): void {
  checkIdentifier(name, s, f, "enum name");
  const entries = Object.entries(members ?? {});
  if (entries.length === 0) throw new SchemaError(s, f, `enum ${name} needs at least one member`);
  for (const [key, value] of entries) {
    checkIdentifier(key, s, f, `enum ${name} member`);
    if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      throw new SchemaError(s, f, `enum ${name}.${key} must be a safe integer, got ${String(value)}`);
    }
    if (value < -(2 ** 31) || value > 2 ** 32 - 1) {
      throw new SchemaError(
        s,
        f,
        `enum ${name}.${key} = ${value} does not fit in 32 bits (int or unsigned int)`,
      );
    }
  }
  if (entries.some(([, v]) => v < 0) && entries.some(([, v]) => v > 2 ** 31 - 1)) {
    throw new SchemaError(
      s,
      f,
      `enum ${name} mixes negative values with values above INT_MAX; it would not fit in int`,
    );
  }
}

/**
 * C has one namespace for struct, union and enum tags: in one schema a tag must name one thing. The same
 * definition used twice is fine; `struct State` beside `enum State`, or two different `enum State`s, is not.
 */
function checkTags(def: RecordDef): void {
  const tags = new Map<string, { kind: string; value: unknown; key: string }>();
  // `key` compares definitions by content, so the same schema written twice still counts as one.
  const see = (name: string, kind: string, value: unknown, key: string, field: string): void => {
    const known = tags.get(name);
    if (!known) {
      tags.set(name, { kind, value, key });
      return;
    }
    if (known.value === value || (known.kind === kind && known.key === key)) return;
    throw new SchemaError(
      def.name,
      field,
      known.kind === kind
        ? `two different ${kind} definitions are named ${name}; C needs one ${kind} ${name}`
        : `${kind} ${name} clashes with ${known.kind} ${name} (C has one namespace for struct, union and enum tags)`,
    );
  };
  const visit = (type: TypeSpec, field: string): void => {
    switch (type.kind) {
      case "struct":
      case "union":
        see(type.name, type.kind, type, JSON.stringify(type), field);
        for (const f of type.fields) visit(f.type, field);
        return;
      case "enum":
        see(type.name, "enum", type, JSON.stringify(Object.entries(type.members)), field);
        return;
      case "bits":
      case "array":
      case "aligned":
      case "flex":
        visit(type.element as TypeSpec, field);
        return;
      default:
        return;
    }
  };
  see(def.name, def.kind, def, JSON.stringify(def), "");
  for (const f of def.fields) visit(f.type, f.name);
}
