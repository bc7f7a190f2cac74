import type { FieldDef, RecordDef, RecordOptions, TypeSpec } from "./types.ts";
import { validateRecord } from "./validate.ts";

function define(
  kind: "struct" | "union",
  name: string,
  fields: Readonly<Record<string, TypeSpec>>,
  options: RecordOptions,
): RecordDef {
  const list: FieldDef[] = Object.entries(fields ?? {}).map(([fieldName, type]) =>
    Object.freeze({ name: fieldName, type }),
  );
  const def: RecordDef = Object.freeze({
    kind,
    name,
    fields: Object.freeze(list),
    packed: options.packed === true,
    align: options.align,
  });
  validateRecord(def);
  return def;
}

/**
 * Defines a C struct. Fields are laid out in key order with the target's C rules when `layoutOf()` is called;
 * the definition itself is target-independent and is checked here (a `SchemaError` names struct and field).
 *
 * @example
 * ```ts
 * export const Point = struct("Point", { x: t.f64, y: t.f64 });
 * // struct Point { double x; double y; };
 * export const Header = struct("Header", { tag: t.u8, len: t.u32 }, { packed: true });
 * // struct __attribute__((packed)) Header { uint8_t tag; uint32_t len; };  (size 5)
 * ```
 */
export function struct(
  name: string,
  fields: Readonly<Record<string, TypeSpec>>,
  options: RecordOptions = {},
): RecordDef {
  return define("struct", name, fields, options);
}

/** Defines a C union: every field at offset 0, size of the largest rounded to the alignment. */
export function union(
  name: string,
  fields: Readonly<Record<string, TypeSpec>>,
  options: RecordOptions = {},
): RecordDef {
  return define("union", name, fields, options);
}
