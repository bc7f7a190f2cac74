import type { EnumSpec, RecordDef, TypeSpec } from "../../../src/index.ts";

/**
 * Prints schema definitions as C declarations, written independently of the emitters so that the differential
 * tests compare the engine with what gcc makes of plain C. Nested structs and enums come first, each once.
 */
export function cDeclarations(roots: readonly RecordDef[]): string {
  const out: string[] = [];
  const done = new Set<string>();
  const enums = new Set<string>();
  const visitType = (type: TypeSpec): void => {
    switch (type.kind) {
      case "struct":
      case "union":
        visitRecord(type);
        return;
      case "array":
      case "aligned":
      case "flex":
        visitType(type.element);
        return;
      case "bits":
        if (type.element.kind === "enum") visitEnum(type.element);
        return;
      case "enum":
        visitEnum(type);
        return;
      default:
        return;
    }
  };
  const visitEnum = (e: EnumSpec): void => {
    if (enums.has(e.name)) return;
    enums.add(e.name);
    const members = Object.entries(e.members).map(([k, v]) => `${k} = ${v}${v > 2 ** 31 - 1 ? "u" : ""}`);
    out.push(`enum ${e.name} { ${members.join(", ")} };`);
  };
  const visitRecord = (def: RecordDef): void => {
    if (done.has(def.name)) return;
    done.add(def.name);
    for (const field of def.fields) visitType(field.type);
    const attrs = [def.packed ? "packed" : "", def.align !== undefined ? `aligned(${def.align})` : ""].filter(
      Boolean,
    );
    const attr = attrs.length ? ` __attribute__((${attrs.join(", ")}))` : "";
    const members = def.fields.map((f) => `  ${member(f.name, f.type)};`);
    out.push(`${def.kind}${attr} ${def.name} {\n${members.join("\n")}\n};`);
  };
  for (const root of roots) visitRecord(root);
  return out.join("\n");
}

/** `T name`, `T name[2][3]`, `T name : 3`, `T : 0`, `T name __attribute__((aligned(8)))`, `T name[]`. */
function member(name: string, type: TypeSpec): string {
  if (type.kind === "bits") {
    return `${typeName(type.element)}${type.unnamed ? "" : ` ${name}`} : ${type.width}`;
  }
  if (type.kind === "aligned") return `${member(name, type.element)} __attribute__((aligned(${type.align})))`;
  if (type.kind === "flex")
    return `${declarator(type.element, name)}[]`.replace(/^(.*?)((?:\[\d+\])*)\[\]$/, "$1[]$2");
  return declarator(type, name);
}

function declarator(type: TypeSpec, name: string): string {
  let suffix = "";
  let base: TypeSpec = type;
  while (base.kind === "array" || base.kind === "string" || base.kind === "aligned") {
    if (base.kind === "string") {
      suffix += `[${base.length}]`;
      return `char ${name}${suffix}`;
    }
    if (base.kind === "aligned") return `${typeName(base)} ${name}${suffix}`;
    suffix += `[${base.length}]`;
    base = base.element;
  }
  return `${typeName(base)} ${name}${suffix}`;
}

function typeName(type: TypeSpec): string {
  switch (type.kind) {
    case "scalar":
      return type.c;
    case "enum":
      return `enum ${type.name}`;
    case "struct":
    case "union":
      return `${type.kind} ${type.name}`;
    case "atomic":
      return `_Atomic(${type.element.c})`;
    case "libc":
      return type.type;
    case "aligned":
      // An array of over-aligned elements needs a typedef-free spelling: an aligned struct would change sizes.
      throw new Error("cDeclarations: t.align() inside an array is not printable as C");
    default:
      throw new Error(`cDeclarations: cannot print ${type.kind} as a type name`);
  }
}
