import type { CEnum, CField, CRecord, CType } from "./model.ts";

/** How the schema DSL spells a C type that is not a fixed-width integer; the one place that knows the DSL's names. */
const DSL_NAMES = {
  char: "t.char_",
  "signed char": "t.schar",
  "unsigned char": "t.uchar",
  short: "t.short",
  "unsigned short": "t.ushort",
  int: "t.int",
  "unsigned int": "t.uint",
  long: "t.long",
  "unsigned long": "t.ulong",
  "long long": "t.long_long",
  "unsigned long long": "t.ulong_long",
  float: "t.float",
  double: "t.double",
  "long double": "t.long_double",
  _Bool: "t.bool",
  int8_t: "t.i8",
  int16_t: "t.i16",
  int32_t: "t.i32",
  int64_t: "t.i64",
  uint8_t: "t.u8",
  uint16_t: "t.u16",
  uint32_t: "t.u32",
  uint64_t: "t.u64",
  size_t: "t.size_t",
  ssize_t: "t.ssize_t",
  intptr_t: "t.intptr_t",
  uintptr_t: "t.uintptr_t",
  ptrdiff_t: "t.ptrdiff_t",
  pthread_mutex_t: "t.pthread_mutex",
  pthread_cond_t: "t.pthread_cond",
  pthread_rwlock_t: "t.pthread_rwlock",
  sem_t: "t.sem",
} as const;

// Names a schema module cannot bind with `const`: its own imports, and the words JavaScript reserves in module
// (strict) code that are still valid C identifiers (`struct var`, `typedef … function;`).
const RESERVED = new Set([
  "t",
  "struct",
  "union",
  ...(
    "arguments await break case catch class const continue debugger default delete do else enum eval export " +
    "extends false finally for function if implements import in instanceof interface let new null package " +
    "private protected public return static super switch this throw true try typeof var void while with yield"
  ).split(" "),
]);

export interface SchemaSourceOptions {
  /** The header's path as the user gave it, for the banner. */
  readonly header: string;
  readonly target: string;
}

/**
 * Prints a DSL schema module for `records` and every record and enum they use, dependencies first, each as an
 * exported `struct(...)`/`union(...)` constant. Deterministic: the same header gives the same text.
 */
export function schemaSource(records: readonly CRecord[], options: SchemaSourceOptions): string {
  const ordered: CRecord[] = [];
  const seen = new Set<string>();
  const visit = (record: CRecord) => {
    if (seen.has(record.name)) return;
    seen.add(record.name);
    for (const field of record.fields) for (const nested of recordsIn(field.type)) visit(nested);
    ordered.push(record);
  };
  for (const record of records) visit(record);

  const constNames = new Map<string, string>();
  for (const record of ordered) constNames.set(record.name, identifier(record.name));
  const enums = new Map<string, CEnum>();
  for (const record of ordered) for (const field of record.fields) collectEnums(field.type, enums);
  const enumNames = new Map<string, string>();
  for (const name of enums.keys())
    enumNames.set(name, uniqueIdentifier(`${name}Enum`, constNames, enumNames));

  const out: string[] = [
    `// Imported by shmkit from ${options.header} (target ${options.target}).`,
    `// Check it against the header: shmkit verify <this file> --header ${options.header} --target ${options.target}`,
  ];
  const uses = new Set<string>(["t"]);
  for (const record of ordered) uses.add(record.kind);
  out.push(`import { ${[...uses].sort().join(", ")} } from "@shmkit/layout-gen";`, "");
  for (const [name, e] of enums) {
    const members = Object.entries(e.members)
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ");
    out.push(`const ${enumNames.get(name)} = t.enum(${JSON.stringify(name)}, { ${members} });`);
  }
  if (enums.size > 0) out.push("");
  const typeText = (type: CType): string => {
    switch (type.kind) {
      case "builtin":
      case "std":
      case "libc":
        return DSL_NAMES[type.name];
      case "array": {
        if (type.element.kind === "builtin" && type.element.name === "char") return `t.char(${type.length})`;
        // int a[2][3] → t.array(t.int, 2, 3), as the DSL writes multi-dimensional arrays.
        const lengths = [type.length];
        let element = type.element;
        while (
          element.kind === "array" &&
          !(element.element.kind === "builtin" && element.element.name === "char")
        ) {
          lengths.push(element.length);
          element = element.element;
        }
        return `t.array(${typeText(element)}, ${lengths.join(", ")})`;
      }
      case "flexible":
        return `t.flex(${typeText(type.element)})`;
      case "record":
        return constNames.get(type.record.name) ?? identifier(type.record.name);
      case "enum":
        return enumNames.get(type.enum.name) ?? "t.int";
      case "atomic":
        return `t.atomic(${typeText(type.value)})`;
      case "opaque":
        // Only a lenient reading (verify) makes these; import reads strictly and reports them as problems.
        throw new Error(`import: ${type.spelling} has no schema type`);
    }
  };
  for (const record of ordered) {
    out.push(
      // A nested anonymous struct has no name in C: not exported, so verify checks it inside its parent only.
      `${record.anonymous ? "" : "export "}const ${constNames.get(record.name)} = ${record.kind}(${JSON.stringify(record.name)}, {`,
    );
    const names = new Set(record.fields.map((f) => f.name));
    let pads = 0;
    const padKey = () => {
      let key = `_pad${pads++}`;
      while (names.has(key)) key = `_pad${pads++}`;
      return key;
    };
    for (const field of record.fields) {
      const key = field.name ?? padKey();
      out.push(`  ${propertyKey(key)}: ${fieldText(field, typeText)},`);
    }
    const opts: string[] = [];
    if (record.packed) opts.push("packed: true");
    if (record.align !== undefined) opts.push(`align: ${record.align}`);
    out.push(opts.length > 0 ? `}, { ${opts.join(", ")} });` : "});", "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

function fieldText(field: CField, typeText: (type: CType) => string): string {
  let text = typeText(field.type);
  if (field.bitWidth !== undefined)
    text = `t.${field.name === undefined ? "pad" : "bits"}(${text}, ${field.bitWidth})`;
  if (field.align !== undefined) text = `t.align(${field.align}, ${text})`;
  return text;
}

function recordsIn(type: CType): CRecord[] {
  switch (type.kind) {
    case "record":
      return [type.record];
    case "array":
    case "flexible":
      return recordsIn(type.element);
    case "atomic":
      return recordsIn(type.value);
    default:
      return [];
  }
}

function collectEnums(type: CType, into: Map<string, CEnum>): void {
  if (type.kind === "enum") into.set(type.enum.name, type.enum);
  else if (type.kind === "array" || type.kind === "flexible") collectEnums(type.element, into);
  else if (type.kind === "atomic") collectEnums(type.value, into);
}

function identifier(name: string): string {
  const clean = name.replace(/[^A-Za-z0-9_$]/g, "_");
  return RESERVED.has(clean) || /^\d/.test(clean) ? `${clean}_` : clean;
}

function uniqueIdentifier(base: string, ...taken: Map<string, string>[]): string {
  const used = new Set(taken.flatMap((m) => [...m.values()]));
  let name = identifier(base);
  while (used.has(name)) name = `${name}_`;
  return name;
}

function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}
