import type { TargetName } from "@shmkit/core/targets";
import {
  type GetAccessorDeclarationStructure,
  type OptionalKind,
  type PropertyDeclarationStructure,
  Scope,
  type SetAccessorDeclarationStructure,
} from "ts-morph";
import type { FieldLayout, FieldType, ScalarKind, StructLayout } from "../../layout/ir.ts";
import { at, index, readScalar, type ScalarInfo, scalarInfo, writeScalar } from "./access.ts";
import { alignAt } from "./alignment.ts";
import { type ClassPlan, classNameFor, scalarSize, sizeOfType } from "./collect.ts";
import { emitError } from "./schema-error.ts";

/** The members one field adds to its class. */
export interface FieldMembers {
  properties: OptionalKind<PropertyDeclarationStructure>[];
  getters: OptionalKind<GetAccessorDeclarationStructure>[];
  setters: OptionalKind<SetAccessorDeclarationStructure>[];
}

/** State shared while one module is generated: the runtime names it imports from `@shmkit/core`. */
export interface EmitContext {
  readonly imports: Set<string>;
}

const TYPED_ARRAY = {
  i8: "Int8Array",
  u8: "Uint8Array",
  i16: "Int16Array",
  u16: "Uint16Array",
  i32: "Int32Array",
  u32: "Uint32Array",
  f32: "Float32Array",
  f64: "Float64Array",
  i64: "BigInt64Array",
  u64: "BigUint64Array",
} as const;

/** The getters, setters and caches for one field of `plan`'s class. */
export function fieldMembers(ctx: EmitContext, plan: ClassPlan, field: FieldLayout): FieldMembers {
  const out: FieldMembers = { properties: [], getters: [], setters: [] };
  const name = field.name;
  if (name === undefined) return out; // unnamed bitfields only pad
  const label = `${plan.layout.name}.${name}`;
  if (name === "constructor") {
    throw emitError(
      label,
      "must not be named constructor: a JavaScript class cannot have such an accessor; rename the field",
    );
  }
  const target = plan.layout.target;
  const align = alignAt(plan.baseAlign, field.offset);
  const start = at(field.offset);
  const doc = `${describe(field)} at offset ${field.offset}${field.bitWidth === undefined ? "" : ` bit ${field.bitOffset ?? 0}`}, ${field.size} byte${field.size === 1 ? "" : "s"}.`;
  const getter = (returnType: string, statements: string[], docs: string[] = [doc]): void => {
    out.getters.push({ name, returnType, statements, docs });
  };
  const setter = (type: string, statements: string[]): void => {
    out.setters.push({ name, parameters: [{ name: "value", type }], statements });
  };
  const cached = (type: string, make: string, docs: string[] = [doc]): void => {
    out.properties.push({
      name: `$${name}`,
      type: `${type} | undefined`,
      initializer: "undefined",
      scope: Scope.Private,
    });
    getter(type, [`return (this.$${name} ??= ${make});`], docs);
  };

  if (field.bitWidth !== undefined) {
    bitfield(ctx, field, plan.baseAlign, otherLocations(plan.layout, field), label, getter, setter);
    return out;
  }
  const type = field.type;
  switch (type.kind) {
    case "scalar":
    case "enum": {
      const info = scalarInfo(type.scalar);
      if (!info) {
        cached("Uint8Array", `this.$v.u8.subarray(${start}, ${at(field.offset + field.size)})`, [
          `${doc} JavaScript has no ${type.scalar === "f80" ? "80-bit" : "128-bit"} float: these are its raw bytes.`,
        ]);
        return out;
      }
      const aligned = align >= info.size;
      const tsType = type.kind === "enum" ? type.name : info.ts;
      const cast = type.kind === "enum" ? ` as ${type.name}` : "";
      getter(tsType, [`return ${readScalar(info, start, aligned)}${cast};`]);
      setter(tsType, [writeScalar(info, start, aligned)]);
      return out;
    }
    case "string":
      ctx.imports.add("readCString").add("writeCString");
      getter(
        "string",
        [`return readCString(this.$v.u8, ${start}, ${type.length});`],
        [
          `${doc} UTF-8 up to the first NUL. Setting a value longer than ${type.length - 1} UTF-8 bytes throws ShmArgumentError (see fitUtf8).`,
        ],
      );
      setter("string", [
        `writeCString(this.$v.u8, ${start}, ${type.length}, value, ${JSON.stringify(label)});`,
      ]);
      return out;
    case "atomic": {
      const { tsType, make } = atomicHandle(ctx, type.scalar, start, align, label);
      cached(tsType, make, [`${doc} Read and write it with Atomics (load, store, add, compareExchange, …).`]);
      return out;
    }
    case "libc": {
      const handle = libcHandle(ctx, type.type, start);
      if (handle) cached(handle.tsType, handle.make, [`${doc} Process-shared; initialised by create().`]);
      else
        getter(
          "number",
          [`return ${start};`],
          [
            `${doc} shmkit has no handle for ${type.type} yet: this is its byte offset in the segment, for C or FFI.`,
          ],
        );
      return out;
    }
    case "record": {
      const className = classNameFor(type.layout, Math.min(align, type.layout.align));
      cached(className, `new ${className}(this.$v, ${start})`);
      return out;
    }
    case "array": {
      const array = arrayOf(ctx, type.element, start, String(type.length), align, label, target);
      cached(array.tsType, array.make);
      return out;
    }
    case "flexible": {
      const elementSize = sizeOfType(type.element, target);
      const length = `Math.floor((this.$v.buffer.byteLength - (${start})) / ${elementSize})`;
      const array = arrayOf(ctx, type.element, start, length, align, label, target);
      cached(array.tsType, array.make, [
        `${doc} A flexible array member: its length is what fits between it and the end of the segment.`,
      ]);
      return out;
    }
  }
}

function describe(field: FieldLayout): string {
  return describeType(field.type);
}

/** How C spells a field's type: `double[8]`, `struct Point`, `_Atomic uint32_t`. */
function describeType(t: FieldType): string {
  switch (t.kind) {
    case "scalar":
      return t.cType;
    case "atomic":
      return `_Atomic ${t.cType}`;
    case "string":
      return `char[${t.length}]`;
    case "enum":
      return `enum ${t.name}`;
    case "libc":
      return t.type;
    case "record":
      return `${t.layout.kind} ${t.layout.name}`;
    case "array": {
      const inner = describeType(t.element);
      const bracket = inner.indexOf("[");
      return bracket < 0
        ? `${inner}[${t.length}]`
        : `${inner.slice(0, bracket)}[${t.length}]${inner.slice(bracket)}`;
    }
    case "flexible":
      return `${describeType(t.element)}[]`;
  }
}

function atomicHandle(
  ctx: EmitContext,
  scalar: ScalarKind,
  start: string,
  align: number,
  label: string,
): { tsType: string; make: string } {
  const info = scalarInfo(scalar);
  if (!info || scalar === "f32" || scalar === "f64") {
    throw emitError(label, "must be an atomic integer or bool: JavaScript Atomics has no float operations");
  }
  if (align < info.size) {
    throw emitError(label, `must be aligned to ${info.size} bytes to be atomic; it is misaligned by packed`);
  }
  if (info.ts === "bigint") {
    ctx.imports.add("AtomicBigInt");
    return {
      tsType: "AtomicBigInt",
      make: `new AtomicBigInt(this.$v.${info.view}, ${index(start, info.shift)})`,
    };
  }
  ctx.imports.add("AtomicNumber");
  return {
    tsType: "AtomicNumber",
    make: `new AtomicNumber(this.$v.${info.view}, ${index(start, info.shift)})`,
  };
}

function libcHandle(
  ctx: EmitContext,
  type: string,
  start: string,
): { tsType: string; make: string } | undefined {
  if (type === "pthread_mutex_t") {
    ctx.imports.add("Mutex");
    return { tsType: "Mutex", make: `Mutex.at(this.$v.segment, ${start})` };
  }
  if (type === "pthread_cond_t") {
    ctx.imports.add("Condition");
    return { tsType: "Condition", make: `Condition.at(this.$v.segment, ${start})` };
  }
  return undefined;
}

/** The type and constructor expression of an array object over `element`s starting at `start`. */
function arrayOf(
  ctx: EmitContext,
  element: FieldType,
  start: string,
  length: string,
  align: number,
  label: string,
  target: TargetName,
): { tsType: string; make: string } {
  const size = sizeOfType(element, target);
  const elementAlign = alignAt(align, size);
  const handles = (tsType: string, make: string): { tsType: string; make: string } => {
    ctx.imports.add("HandleArray");
    return {
      tsType: `HandleArray<${tsType}>`,
      make: `new HandleArray(${start}, ${length}, ${size}, (at) => ${make}, ${JSON.stringify(label)})`,
    };
  };
  switch (element.kind) {
    case "scalar":
    case "enum": {
      const info = scalarInfo(element.scalar);
      if (!info) {
        const bytes = scalarSize(element.scalar, target);
        return handles("Uint8Array", `this.$v.u8.subarray(at, at + ${bytes})`);
      }
      if (elementAlign >= info.size) {
        const ctor = TYPED_ARRAY[info.view];
        return { tsType: ctor, make: `new ${ctor}(this.$v.buffer, ${start}, ${length})` };
      }
      ctx.imports.add("UnalignedArray");
      const kind = JSON.stringify(element.scalar);
      return {
        tsType: `UnalignedArray<${kind}>`,
        make: `new UnalignedArray(this.$v.dv, ${start}, ${length}, ${kind}, ${JSON.stringify(label)})`,
      };
    }
    case "string":
      ctx.imports.add("StringArray");
      return {
        tsType: "StringArray",
        make: `new StringArray(this.$v.u8, ${start}, ${length}, ${element.length}, ${JSON.stringify(label)})`,
      };
    case "record": {
      const className = classNameFor(element.layout, Math.min(elementAlign, element.layout.align));
      return handles(className, `new ${className}(this.$v, at)`);
    }
    case "atomic": {
      const handle = atomicHandle(ctx, element.scalar, "at", elementAlign, label);
      return handles(handle.tsType, handle.make);
    }
    case "libc": {
      const handle = libcHandle(ctx, element.type, "at");
      return handle ? handles(handle.tsType, handle.make) : handles("number", "at");
    }
    case "array": {
      const inner = arrayOf(
        ctx,
        element.element,
        "at",
        String(element.length),
        elementAlign,
        `${label}[]`,
        target,
      );
      return handles(inner.tsType, inner.make);
    }
    case "flexible":
      throw emitError(label, "must not be an array of flexible arrays");
  }
}

interface ByteRange {
  readonly offset: number;
  readonly size: number;
}

/**
 * The bytes of a struct that belong to other memory locations than `field` (C11 §3.14): its non-bitfield
 * members, and the bitfields beyond a zero-width bitfield or a non-bitfield member. The bytes past the struct's
 * end count too. Union members share their bytes by definition, so a union has none.
 */
function otherLocations(layout: StructLayout, field: FieldLayout): ByteRange[] {
  const outside = [{ offset: layout.size, size: Number.POSITIVE_INFINITY }];
  if (layout.kind === "union") return outside;
  const fields = layout.fields;
  const inRun = (f: FieldLayout | undefined): boolean => f !== undefined && (f.bitWidth ?? 0) > 0;
  let first = fields.indexOf(field);
  let last = first;
  while (inRun(fields[first - 1])) first--;
  while (inRun(fields[last + 1])) last++;
  return [
    ...fields
      .filter((f, i) => (i < first || i > last) && f.size > 0)
      .map((f) => ({ offset: f.offset, size: f.size })),
    ...outside,
  ];
}

type Getter = (returnType: string, statements: string[], docs?: string[]) => void;
type Setter = (type: string, statements: string[]) => void;

/**
 * A bitfield: one masked access to the smallest aligned 8-, 16- or 32-bit word that holds all its bits, else
 * (packed structs, or wider than 32 bits) the byte-wise runtime helpers. Setting keeps only the low `width` bits
 * of the value, as C does.
 */
function bitfield(
  ctx: EmitContext,
  field: FieldLayout,
  baseAlign: number,
  others: readonly ByteRange[],
  label: string,
  getter: Getter,
  setter: Setter,
): void {
  const type = field.type;
  if (type.kind !== "scalar" && type.kind !== "enum") {
    throw emitError(label, "must be an integer, bool or enum bitfield");
  }
  const info = scalarInfo(type.scalar) as ScalarInfo;
  const width = field.bitWidth as number;
  const first = field.offset * 8 + (field.bitOffset ?? 0);
  const isBool = info.ts === "boolean";
  const tsType = type.kind === "enum" ? type.name : isBool ? "boolean" : width > 32 ? "bigint" : "number";
  const cast = type.kind === "enum" ? ` as ${type.name}` : "";
  const doc = `${type.kind === "enum" ? `enum ${type.name}` : type.cType} : ${width}, bits ${first}…${first + width - 1} of the struct. Setting keeps the low ${width} bits (C truncation).`;
  if (width > 32) {
    ctx.imports.add("readBitsBig").add("writeBitsBig");
    getter(
      tsType,
      [
        `return readBitsBig(this.$v.u8, ${at(field.offset)}, ${field.bitOffset ?? 0}, ${width}, ${info.signed});`,
      ],
      [doc],
    );
    setter(tsType, [
      `writeBitsBig(this.$v.u8, ${at(field.offset)}, ${field.bitOffset ?? 0}, ${width}, value);`,
    ]);
    return;
  }
  for (const bytes of [1, 2, 4]) {
    const wordByte = Math.floor(first / (8 * bytes)) * bytes;
    const shift = first - wordByte * 8;
    if (shift + width > 8 * bytes || alignAt(baseAlign, wordByte) < bytes) continue;
    // The word is written back whole: it must not hold bytes of another memory location, or a store here could
    // undo another process's concurrent store there (C compilers never widen a bitfield store that way).
    if (others.some((r) => r.offset < wordByte + bytes && wordByte < r.offset + r.size)) continue;
    const view = bytes === 1 ? "u8" : bytes === 2 ? "u16" : "u32";
    const word = `this.$v.${view}[${index(at(wordByte), Math.log2(bytes))}]`;
    const mask = 2 ** width - 1;
    const hex = (n: number): string => `0x${n.toString(16)}`;
    let read: string;
    if (isBool) read = `((${word}! >>> ${shift}) & 1) !== 0`;
    else if (info.signed) {
      const left = 32 - shift - width;
      read = `(${word}!${left === 0 ? "" : ` << ${left}`}) >> ${32 - width}`;
    } else
      read =
        width === 32
          ? `${word}!`
          : shift === 0
            ? `${word}! & ${hex(mask)}`
            : `(${word}! >>> ${shift}) & ${hex(mask)}`;
    // `as` binds tighter than `&`: `x & 0x7 as E` would cast the mask alone, and not typecheck.
    getter(tsType, [`return ${cast && read.includes(" ") ? `(${read})` : read}${cast};`], [doc]);
    const value = isBool ? "(value ? 1 : 0)" : "value";
    if (width === 32) {
      setter(tsType, [`${word} = ${value};`]);
    } else {
      const keep = (2 ** (8 * bytes) - 1 - mask * 2 ** shift) >>> 0;
      const bits = shift === 0 ? `(${value} & ${hex(mask)})` : `((${value} & ${hex(mask)}) << ${shift})`;
      setter(tsType, [
        `const i = ${index(at(wordByte), Math.log2(bytes))};`,
        `this.$v.${view}[i] = (this.$v.${view}[i]! & ${hex(keep)}) | ${bits};`,
      ]);
    }
    return;
  }
  ctx.imports.add("readBits").add("writeBits");
  const read = `readBits(this.$v.u8, ${at(field.offset)}, ${field.bitOffset ?? 0}, ${width}, ${info.signed})`;
  getter(tsType, [`return ${isBool ? `${read} !== 0` : read}${cast};`], [doc]);
  setter(tsType, [
    `writeBits(this.$v.u8, ${at(field.offset)}, ${field.bitOffset ?? 0}, ${width}, ${isBool ? "value ? 1 : 0" : "value"});`,
  ]);
}
