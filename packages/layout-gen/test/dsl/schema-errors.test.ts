import { describe, expect, test } from "bun:test";
import { layoutOf, SchemaError, struct, t, union } from "../../src/index.ts";

/** Runs `define` and returns the SchemaError it throws (failing the test if it throws nothing or something else). */
function schemaError(define: () => unknown): SchemaError {
  try {
    define();
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaError);
    return error as SchemaError;
  }
  throw new Error("expected a SchemaError, but the schema was accepted");
}

describe("struct() refuses what C or shared memory cannot hold, naming struct and field", () => {
  test("a pointer is refused with advice to store an offset", () => {
    const e = schemaError(() => struct("Node", { value: t.i32, next: t.ptr() }));
    expect([e.struct, e.field]).toEqual(["Node", "next"]);
    expect(e.message).toStartWith("Node.next: pointers cannot live in shared memory");
    expect(e.message).toContain("store an offset");
  });
  test("a pointer nested in an array is refused too", () => {
    expect(schemaError(() => struct("List", { items: t.array(t.ptr(t.i32), 4) })).field).toBe("items");
  });
  test("a flexible array member that is not last is refused", () => {
    const e = schemaError(() => struct("Msg", { data: t.flex(t.u8), len: t.u32 }));
    expect(e.message).toBe("Msg.data: a flexible array member (t.flex) must be the last field");
  });
  test("a union cannot have a flexible array member", () => {
    expect(schemaError(() => union("U", { a: t.i32, b: t.flex(t.u8) })).field).toBe("b");
  });
  test("a struct ending in a flexible array cannot be nested", () => {
    const Msg = struct("Msg", { len: t.u32, data: t.flex(t.u8) });
    expect(schemaError(() => struct("Outer", { m: Msg })).message).toContain("cannot be nested");
  });
  test("a named zero-width bitfield points to t.pad", () => {
    expect(schemaError(() => struct("B", { a: t.bits(t.u32, 0) })).message).toContain("t.pad(T, 0)");
  });
  test("a bitfield wider than its type is refused", () => {
    expect(schemaError(() => struct("B", { a: t.bits(t.u8, 9) })).message).toBe(
      "B.a: bitfield width must be an integer from 1 to 8, got 9",
    );
  });
  test("a bool bitfield is at most 1 bit", () => {
    expect(schemaError(() => struct("B", { a: t.bits(t.bool, 2) })).field).toBe("a");
  });
  test("a float bitfield is refused", () => {
    expect(schemaError(() => struct("B", { a: t.bits(t.f32, 3) })).message).toContain(
      "integer, bool or enum",
    );
  });
  test("`long` bitfields are checked against the target's width at layout time", () => {
    const def = struct("B", { a: t.bits(t.long, 40) });
    expect(layoutOf(def, { target: "x86_64-linux-gnu" }).fields[0]?.bitWidth).toBe(40);
    expect(schemaError(() => layoutOf(def, { target: "i686-linux-gnu" })).message).toBe(
      "B.a: bitfield width 40 exceeds 32 bits of long on i686-linux-gnu",
    );
  });
  test("a float atomic is refused (Atomics work on integers)", () => {
    expect(schemaError(() => struct("A", { x: t.atomic(t.f64) })).message).toContain("integer or bool");
  });
  test("keyword and non-identifier names are refused", () => {
    expect(schemaError(() => struct("S", { int: t.i32 })).message).toContain("C identifier");
    expect(schemaError(() => struct("S", { "a-b": t.i32 })).field).toBe("a-b");
    expect(schemaError(() => struct("my struct", { a: t.i32 })).struct).toBe("my struct");
  });
  test("an empty struct, or one with only padding, is refused", () => {
    expect(schemaError(() => struct("E", {})).field).toBeUndefined();
    expect(schemaError(() => struct("E", { _0: t.pad(t.u8, 3) })).message).toContain(
      "at least one named member",
    );
  });
  test("alignments must be powers of two", () => {
    expect(schemaError(() => struct("S", { a: t.i32 }, { align: 3 })).message).toBe(
      "S: align must be a power of two, got 3",
    );
    expect(schemaError(() => struct("S", { a: t.align(6, t.i32) })).field).toBe("a");
  });
  test("t.align applies to whole fields, not to array elements", () => {
    expect(schemaError(() => struct("S", { a: t.array(t.align(16, t.i32), 2) })).message).toContain(
      "outermost",
    );
  });
  test("array and string lengths must be at least 1", () => {
    expect(schemaError(() => struct("S", { a: t.array(t.i32, 0) })).message).toContain("t.flex");
    expect(schemaError(() => struct("S", { s: t.char(0) })).field).toBe("s");
  });
  test("enums must fit in int or unsigned int", () => {
    expect(schemaError(() => struct("S", { e: t.enum("Big", { A: 2 ** 32 }) })).message).toContain("32 bits");
    expect(schemaError(() => struct("S", { e: t.enum("Mix", { A: -1, B: 2 ** 31 }) })).message).toContain(
      "int",
    );
    expect(schemaError(() => struct("S", { e: t.enum("Empty", {}) })).message).toContain(
      "at least one member",
    );
  });
  test("a pthread object in a packed struct is refused when laid out", () => {
    const def = struct("P", { c: t.u8, m: t.pthread_mutex }, { packed: true });
    expect(schemaError(() => layoutOf(def, { target: "x86_64-linux-gnu" })).field).toBe("m");
  });
  test("something that is not a type names the field", () => {
    expect(schemaError(() => struct("S", { a: 42 as never })).message).toStartWith(
      "S.a: must be a type from t.",
    );
  });
});

describe("DSL shapes", () => {
  test("t.array(T, 2, 3) is the same as t.array(t.array(T, 3), 2)", () => {
    expect(t.array(t.i32, 2, 3)).toEqual(t.array(t.array(t.i32, 3), 2));
    const l = layoutOf(struct("M", { m: t.array(t.i32, 2, 3) }), { target: "x86_64-linux-gnu" });
    expect(l.fields[0]?.type).toEqual({
      kind: "array",
      length: 2,
      element: { kind: "array", length: 3, element: { kind: "scalar", scalar: "i32", cType: "int32_t" } },
    });
    expect(l.size).toBe(24);
  });
  test("definitions are frozen", () => {
    const def = struct("F", { a: t.i32 });
    expect(Object.isFrozen(def)).toBe(true);
    expect(Object.isFrozen(def.fields)).toBe(true);
    expect(Object.isFrozen(t)).toBe(true);
  });
  test("the issue's example schema lays out on every target", () => {
    const Point = struct("Point", { x: t.f64, y: t.f64 });
    const Shared = struct("Shared", {
      mutex: t.pthread_mutex,
      cond: t.pthread_cond,
      shared_resource: t.i32,
      label: t.char(32),
      samples: t.array(t.f64, 8),
      origin: Point,
      hits: t.atomic(t.u32),
      flags: t.bits(t.u32, 3),
      state: t.enum("State", { IDLE: 0, BUSY: 1 }),
    });
    const x64 = layoutOf(Shared, { target: "x86_64-linux-gnu" });
    expect(x64.fields.map((f) => [f.name, f.offset])).toEqual([
      ["mutex", 0],
      ["cond", 40],
      ["shared_resource", 88],
      ["label", 92],
      ["samples", 128],
      ["origin", 192],
      ["hits", 208],
      ["flags", 212],
      ["state", 216],
    ]);
    expect(x64.size).toBe(224);
    expect(layoutOf(Shared, { target: "aarch64-linux-gnu" }).size).toBe(232);
  });
});

describe("tags (C has one namespace for struct, union and enum names)", () => {
  test("an enum named like a nested struct is refused", () => {
    const State = struct("State", { v: t.u8 });
    const e = schemaError(() => struct("Machine", { s: State, e: t.enum("State", { A: 0 }) }));
    expect(e.message).toBe(
      "Machine.e: enum State clashes with struct State (C has one namespace for struct, union and enum tags)",
    );
  });
  test("two different enums with one name are refused", () => {
    const e = schemaError(() =>
      struct("Two", { a: t.enum("Mode", { X: 0 }), b: t.bits(t.enum("Mode", { X: 1 }), 2) }),
    );
    expect([e.field, e.message]).toEqual([
      "b",
      "Two.b: two different enum definitions are named Mode; C needs one enum Mode",
    ]);
  });
  test("the same definition, or an identical one, may appear twice", () => {
    const P = struct("P", { x: t.f64 });
    expect(() =>
      struct("Line", {
        a: P,
        b: struct("P", { x: t.f64 }),
        m: t.enum("M", { A: 0 }),
        n: t.enum("M", { A: 0 }),
      }),
    ).not.toThrow();
  });
  test("a nested record named like its parent is refused", () => {
    expect(schemaError(() => struct("Node", { inner: struct("Node", { v: t.u8 }) })).message).toContain(
      "Node",
    );
  });
});
