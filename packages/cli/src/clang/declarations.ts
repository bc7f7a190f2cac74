import { basename } from "node:path";
import type { CBuiltin, CEnum, CField, CLibcName, CRecord, CStdName, CType } from "./model.ts";

/** One node of clang's JSON AST, as far as we read it. */
interface Node {
  readonly id?: string;
  readonly kind?: string;
  readonly name?: string;
  readonly tagUsed?: string;
  readonly completeDefinition?: boolean;
  readonly isImplicit?: boolean;
  readonly isBitfield?: boolean;
  readonly value?: string;
  readonly type?: { readonly qualType: string; readonly typeAliasDeclId?: string };
  readonly decl?: { readonly id: string };
  readonly ownedTagDecl?: { readonly id: string };
  readonly inner?: readonly Node[];
}

const BUILTINS = new Set<string>([
  "char",
  "signed char",
  "unsigned char",
  "short",
  "unsigned short",
  "int",
  "unsigned int",
  "long",
  "unsigned long",
  "long long",
  "unsigned long long",
  "float",
  "double",
  "long double",
  "_Bool",
]);
const STD_NAMES = new Set<string>([
  "int8_t",
  "int16_t",
  "int32_t",
  "int64_t",
  "uint8_t",
  "uint16_t",
  "uint32_t",
  "uint64_t",
  "size_t",
  "ssize_t",
  "intptr_t",
  "uintptr_t",
  "ptrdiff_t",
]);
const LIBC_NAMES = new Set<string>(["pthread_mutex_t", "pthread_cond_t", "pthread_rwlock_t", "sem_t"]);
/** clang spells a few builtins in other ways than `unsigned int`; these are the same types. */
const SPELLINGS: Readonly<Record<string, CBuiltin>> = {
  "short int": "short",
  "signed short": "short",
  "unsigned short int": "unsigned short",
  signed: "int",
  "signed int": "int",
  unsigned: "unsigned int",
  "long int": "long",
  "unsigned long int": "unsigned long",
  "long long int": "long long",
  "unsigned long long int": "unsigned long long",
  bool: "_Bool",
};

type Converted<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly problems: string[] };

/** The structs, unions and enums of a translation unit, from clang's JSON AST. */
export class HeaderDeclarations {
  /** The records declared outside system headers, at file scope, in declaration order. */
  readonly records: readonly RecordRef[];
  readonly #byId = new Map<string, Node>();
  readonly #typedefs = new Map<string, Node>();
  readonly #tags = new Map<string, Node>();
  readonly #typedefOf = new Map<string, string>();
  readonly #where = new Map<Node, string>();
  readonly #converted = new Map<string, Converted<CRecord>>();
  readonly #enums = new Map<string, CEnum>();

  /**
   * `lenient`: for `verify`, which needs only member names and places, members of types a schema cannot hold
   * (pointers, say) become `opaque` instead of problems, and `#pragma pack` is left to the compiler to measure.
   */
  readonly #lenient: boolean;

  constructor(ast: unknown, options: { lenient?: boolean } = {}) {
    this.#lenient = options.lenient ?? false;
    const root = ast as Node;
    this.#locate(root);
    const top = root.inner ?? [];
    for (const node of top) this.#index(node);
    for (const node of top) {
      if (node.kind !== "TypedefDecl" || !node.name) continue;
      const target = taggedDecl(node);
      if (target && !this.#typedefOf.has(target)) this.#typedefOf.set(target, node.name);
    }
    const records: RecordRef[] = [];
    const seen = new Set<string>();
    for (const node of top) {
      if (node.kind !== "RecordDecl" || !node.completeDefinition || !node.id || seen.has(node.id)) continue;
      const where = this.#where.get(node) ?? "";
      if (where.startsWith("/usr/") || where.startsWith("<")) continue;
      const name = this.#typedefOf.get(node.id) ?? node.name;
      if (!name) continue;
      seen.add(node.id);
      records.push({ name, tag: node.name, typedef: this.#typedefOf.get(node.id), id: node.id });
    }
    this.records = records;
  }

  /** Finds a user record by its typedef name or its tag. */
  find(name: string): RecordRef | undefined {
    return this.records.find((r) => r.typedef === name) ?? this.records.find((r) => r.tag === name);
  }

  /** Converts a record, with every problem that keeps it from being a shared-memory schema. */
  record(ref: RecordRef): Converted<CRecord> {
    const node = this.#byId.get(ref.id);
    if (!node) return { ok: false, problems: [`${ref.name}: not found in the AST`] };
    return this.#record(node, ref.name);
  }

  #record(node: Node, name: string): Converted<CRecord> {
    const id = node.id ?? "";
    const cached = this.#converted.get(id);
    if (cached) return cached;
    const where = shortWhere(this.#where.get(node) ?? "?");
    const problems: string[] = [];
    const fields: CField[] = [];
    let packed = false;
    let align: number | undefined;
    let anonymous: Node | undefined;
    const members = node.inner ?? [];
    for (const [index, member] of members.entries()) {
      switch (member.kind) {
        case "PackedAttr":
          packed = true;
          break;
        case "AlignedAttr": {
          const value = constant(member);
          if (value !== undefined) align = Math.max(align ?? 0, value);
          else if (!this.#lenient)
            problems.push(`${name}: __attribute__((aligned)) needs a number of bytes (${where})`);
          break;
        }
        case "MaxFieldAlignmentAttr":
          if (this.#lenient) break;
          problems.push(
            `${name}: #pragma pack is not supported; use __attribute__((packed)) or aligned(N) instead (${where})`,
          );
          break;
        case "RecordDecl":
        case "EnumDecl":
          if (!member.name) anonymous = member;
          break;
        case "FieldDecl": {
          const field = this.#field(member, name, anonymous, index === members.length - 1);
          if (field.ok) fields.push(field.value);
          else problems.push(...field.problems);
          break;
        }
      }
    }
    const tag = node.name || undefined;
    const kind = node.tagUsed === "union" ? "union" : "struct";
    const typedef = this.#typedefOf.get(id);
    const result: Converted<CRecord> =
      problems.length > 0
        ? { ok: false, problems }
        : {
            ok: true,
            value: {
              name,
              spelling: tag ? `${kind} ${tag}` : (typedef ?? name),
              tag,
              anonymous: !tag && !typedef,
              kind,
              fields,
              packed,
              align,
              where,
            },
          };
    this.#converted.set(id, result);
    return result;
  }

  #field(node: Node, owner: string, anonymous: Node | undefined, last: boolean): Converted<CField> {
    const where = shortWhere(this.#where.get(node) ?? "?");
    const path = `${owner}.${node.name ?? "(unnamed)"}`;
    if (node.isImplicit) {
      return {
        ok: false,
        problems: [
          `${owner}: an anonymous struct or union member is not supported; give it a name (${where})`,
        ],
      };
    }
    const qualType = node.type?.qualType ?? "";
    const type = this.#type(
      qualType,
      node.type?.typeAliasDeclId,
      anonymous,
      `${owner}_${node.name}`,
      path,
      where,
    );
    if (!type.ok) return type;
    if (type.value.kind === "flexible" && !last) {
      return { ok: false, problems: [`${path}: a flexible array member must be the last member (${where})`] };
    }
    let bitWidth: number | undefined;
    let align: number | undefined;
    let packed = false;
    for (const child of node.inner ?? []) {
      if (child.kind === "ConstantExpr" && node.isBitfield) bitWidth = Number(child.value);
      else if (child.kind === "AlignedAttr") {
        const value = constant(child);
        if (value === undefined) {
          if (this.#lenient) continue;
          return {
            ok: false,
            problems: [`${path}: __attribute__((aligned)) needs a number of bytes (${where})`],
          };
        }
        align = Math.max(align ?? 0, value);
      } else if (child.kind === "PackedAttr") packed = true;
    }
    if (packed && !this.#lenient) {
      return {
        ok: false,
        problems: [
          `${path}: __attribute__((packed)) on one member is not supported; pack the whole struct (${where})`,
        ],
      };
    }
    if (node.isBitfield && (bitWidth === undefined || Number.isNaN(bitWidth))) {
      return {
        ok: false,
        problems: [`${path}: the bitfield width is not a constant clang could fold (${where})`],
      };
    }
    return {
      ok: true,
      value: {
        name: node.name || undefined,
        type: type.value,
        ...(bitWidth === undefined ? {} : { bitWidth }),
        ...(align === undefined ? {} : { align }),
        where,
      },
    };
  }

  /** Resolves a type as clang prints it (`uint32_t`, `int[2][3]`, `_Atomic(int)`, `struct (unnamed at …)`). */
  #type(
    qualType: string,
    aliasId: string | undefined,
    anonymous: Node | undefined,
    anonymousName: string,
    path: string,
    where: string,
  ): Converted<CType> {
    const fail = (why: string): Converted<CType> =>
      this.#lenient
        ? { ok: true, value: { kind: "opaque", spelling: qualType } }
        : { ok: false, problems: [`${path}: ${why} (${where})`] };
    let text = qualType.trim();
    const dims: string[] = [];
    for (let m = /\s*\[(\d*)\]$/.exec(text); m; m = /\s*\[(\d*)\]$/.exec(text)) {
      dims.unshift(m[1] ?? "");
      text = text.slice(0, m.index);
    }
    if (dims.length > 0) {
      // `uint32_t[4]` keeps no alias id of its own: resolve the element by name.
      const element = this.#type(text, undefined, anonymous, anonymousName, path, where);
      if (!element.ok) return element;
      let type = element.value;
      for (let i = dims.length - 1; i >= 0; i--) {
        const dim = dims[i] ?? "";
        if (dim === "") {
          if (i !== 0) return fail("only the outermost dimension of an array can be empty");
          type = { kind: "flexible", element: type };
        } else {
          type = { kind: "array", element: type, length: Number(dim) };
        }
      }
      return { ok: true, value: type };
    }
    text = text
      .replace(/\b(const|volatile|restrict|__restrict)\b/g, "")
      .replace(/\s+/g, " ")
      .trim();
    const atomic = /^_Atomic\((.*)\)$/.exec(text);
    if (atomic) {
      const value = this.#type(atomic[1] ?? "", undefined, anonymous, anonymousName, path, where);
      if (!value.ok) return value;
      if (value.value.kind !== "builtin" && value.value.kind !== "std") {
        return fail(`${qualType}: only integer and bool types can be _Atomic in a schema`);
      }
      return { ok: true, value: { kind: "atomic", value: value.value } };
    }
    if (text.includes("*") || (text.includes("(") && !/\((unnamed|anonymous)\b/.test(text))) {
      return fail(
        `${qualType} is a pointer, which means nothing in another process; store an offset into the segment instead`,
      );
    }
    const builtin = SPELLINGS[text] ?? (BUILTINS.has(text) ? (text as CBuiltin) : undefined);
    if (builtin) return { ok: true, value: { kind: "builtin", name: builtin } };
    const tagged = /^(struct|union|enum) (.+)$/.exec(text);
    if (tagged) {
      const [, keyword, tag = ""] = tagged;
      const node = /\((unnamed|anonymous)\b/.test(tag) ? anonymous : this.#tags.get(`${keyword} ${tag}`);
      if (!node) return fail(`${text} is declared but never defined, so its layout is unknown`);
      return this.#declType(node, node.name || anonymousName, path, where);
    }
    if (LIBC_NAMES.has(text)) return { ok: true, value: { kind: "libc", name: text as CLibcName } };
    if (STD_NAMES.has(text)) return { ok: true, value: { kind: "std", name: text as CStdName } };
    const typedef = (aliasId ? this.#byId.get(aliasId) : undefined) ?? this.#typedefs.get(text);
    if (typedef?.kind === "TypedefDecl") {
      const target = taggedDecl(typedef);
      const decl = target ? this.#byId.get(target) : undefined;
      if (decl) return this.#declType(decl, typedef.name ?? text, path, where);
      return this.#type(typedef.type?.qualType ?? "", undefined, undefined, anonymousName, path, where);
    }
    return fail(`${qualType} is not a type shmkit can lay out`);
  }

  #declType(node: Node, name: string, path: string, where: string): Converted<CType> {
    if (node.kind === "EnumDecl") return { ok: true, value: { kind: "enum", enum: this.#enum(node, name) } };
    if (node.kind !== "RecordDecl") {
      return { ok: false, problems: [`${path}: unexpected declaration ${node.kind} (${where})`] };
    }
    const complete = node.completeDefinition ? node : this.#tags.get(`${node.tagUsed} ${node.name}`);
    if (!complete?.completeDefinition) {
      return { ok: false, problems: [`${path}: ${node.tagUsed} ${node.name} is never defined (${where})`] };
    }
    const record = this.#record(complete, this.#typedefOf.get(complete.id ?? "") ?? (complete.name || name));
    return record.ok ? { ok: true, value: { kind: "record", record: record.value } } : record;
  }

  #enum(node: Node, name: string): CEnum {
    const key = node.id ?? name;
    const cached = this.#enums.get(key);
    if (cached) return cached;
    const members: Record<string, number> = {};
    let next = 0;
    for (const member of node.inner ?? []) {
      if (member.kind !== "EnumConstantDecl" || !member.name) continue;
      const value = constant(member) ?? next;
      members[member.name] = value;
      next = value + 1;
    }
    const result = { name: this.#typedefOf.get(node.id ?? "") ?? name, members };
    this.#enums.set(key, result);
    return result;
  }

  #index(node: Node): void {
    if (node.id && (node.kind === "RecordDecl" || node.kind === "EnumDecl" || node.kind === "TypedefDecl")) {
      this.#byId.set(node.id, node);
    }
    if (node.kind === "TypedefDecl" && node.name) this.#typedefs.set(node.name, node);
    if ((node.kind === "RecordDecl" || node.kind === "EnumDecl") && node.name) {
      const key = `${node.kind === "EnumDecl" ? "enum" : node.tagUsed} ${node.name}`;
      const known = this.#tags.get(key);
      if (!known || (!known.completeDefinition && node.completeDefinition) || node.kind === "EnumDecl") {
        if (!(known?.kind === "EnumDecl" && !node.inner)) this.#tags.set(key, node);
      }
    }
    for (const child of node.inner ?? []) {
      if (child.kind === "RecordDecl" || child.kind === "EnumDecl" || child.kind === "TypedefDecl")
        this.#index(child);
    }
  }

  /**
   * clang's JSON prints a source file and line only when they change from the previous location printed, in
   * document order. Replaying that order gives every declaration its `file:line`.
   */
  #locate(root: Node): void {
    let file = "";
    let line = 0;
    const visitLoc = (loc: unknown): void => {
      if (!loc || typeof loc !== "object") return;
      const l = loc as Record<string, unknown>;
      if (l.spellingLoc || l.expansionLoc) {
        visitLoc(l.spellingLoc);
        visitLoc(l.expansionLoc);
        return;
      }
      if (typeof l.file === "string") file = l.file;
      if (typeof l.line === "number") line = l.line;
    };
    const visit = (value: unknown): void => {
      if (Array.isArray(value)) {
        for (const item of value) visit(item);
        return;
      }
      if (!value || typeof value !== "object") return;
      const object = value as Record<string, unknown>;
      for (const [key, child] of Object.entries(object)) {
        if (key === "loc") {
          visitLoc(child);
          if (typeof object.kind === "string") this.#where.set(value as Node, `${file}:${line}`);
        } else if (key === "range") {
          const range = child as { begin?: unknown; end?: unknown } | undefined;
          visitLoc(range?.begin);
          visitLoc(range?.end);
        } else if (key === "inner") visit(child);
      }
    };
    visit(root);
  }
}

/** A user record of the header, by the name a schema would give it. */
export interface RecordRef {
  readonly name: string;
  readonly tag: string | undefined;
  readonly typedef: string | undefined;
  readonly id: string;
}

/** `file:line` with the file's base name only, as messages show it. */
export function shortWhere(where: string): string {
  const at = where.lastIndexOf(":");
  return at < 0 ? where : `${basename(where.slice(0, at))}${where.slice(at)}`;
}

function constant(node: Node): number | undefined {
  for (const child of node.inner ?? []) {
    if (child.kind === "ConstantExpr" && child.value !== undefined) return Number(child.value);
  }
  return undefined;
}

/** The record or enum a typedef names, through `ElaboratedType` → `RecordType`/`EnumType`. */
function taggedDecl(typedef: Node): string | undefined {
  const stack = [...(typedef.inner ?? [])];
  while (stack.length > 0) {
    const node = stack.shift();
    if (!node) break;
    if (node.kind === "TypedefType") return undefined; // a typedef of a typedef: resolved through its name.
    if (node.ownedTagDecl?.id) return node.ownedTagDecl.id;
    if ((node.kind === "RecordType" || node.kind === "EnumType") && node.decl?.id) return node.decl.id;
    if (node.kind === "ElaboratedType" || node.kind === "ParenType") stack.push(...(node.inner ?? []));
  }
  return undefined;
}
