import type { ScalarInfo, Target } from "@shmkit/core/targets";
import { SchemaError } from "../dsl/errors.ts";
import type { EnumSpec, ScalarSpec, TypeSpec } from "../dsl/types.ts";
import type { FieldType, StructLayout } from "./ir.ts";

/** A type resolved for a target: its IR type, size, member alignment and (for bitfield units) type alignment. */
export interface Resolved {
  readonly type: FieldType;
  readonly size: number;
  readonly align: number;
  readonly typeAlign: number;
  /** Whether the alignment came from an attribute (then i386's member-alignment cut does not apply). */
  readonly userAlign: number | undefined;
}

export interface ResolveContext {
  readonly target: Target;
  readonly struct: string;
  readonly field: string;
  readonly layoutRecord: (def: import("../dsl/types.ts").RecordDef) => StructLayout;
}

export function scalarOf(spec: ScalarSpec, target: Target): ScalarInfo {
  return target.scalars[spec.c];
}

/** The integer type gcc and clang give a C enum: `unsigned int` unless a member is negative, then `int`. */
export function enumType(spec: EnumSpec): FieldType & { kind: "enum" } {
  const negative = Object.values(spec.members).some((v) => v < 0);
  return { kind: "enum", name: spec.name, members: spec.members, scalar: negative ? "i32" : "u32" };
}

export function resolve(spec: TypeSpec, ctx: ResolveContext): Resolved {
  const { target } = ctx;
  switch (spec.kind) {
    case "scalar": {
      const s = scalarOf(spec, target);
      return {
        type: { kind: "scalar", scalar: s.storage, cType: spec.c },
        size: s.size,
        align: s.align,
        typeAlign: s.typeAlign,
        userAlign: undefined,
      };
    }
    case "string":
      return {
        type: { kind: "string", length: spec.length, cType: "char" },
        size: spec.length,
        align: 1,
        typeAlign: 1,
        userAlign: undefined,
      };
    case "array": {
      const el = resolve(spec.element, ctx);
      return {
        type: { kind: "array", element: el.type, length: spec.length },
        size: el.size * spec.length,
        align: el.align,
        typeAlign: el.typeAlign,
        userAlign: el.userAlign,
      };
    }
    case "struct":
    case "union": {
      const layout = ctx.layoutRecord(spec);
      return {
        type: { kind: "record", layout },
        size: layout.size,
        align: layout.align,
        typeAlign: layout.align,
        userAlign: undefined,
      };
    }
    case "enum": {
      const { size, align } = target.enums;
      return { type: enumType(spec), size, align, typeAlign: align, userAlign: undefined };
    }
    case "atomic": {
      const s = scalarOf(spec.element, target);
      if (!target.lockFreeSizes.includes(s.size)) {
        throw new SchemaError(
          ctx.struct,
          ctx.field,
          `_Atomic ${spec.element.c} (${s.size} bytes) is not lock-free on ${target.name}`,
        );
      }
      // C11 `_Atomic T` is aligned to its size where that size is lock-free (8 on i386 for long long).
      return {
        type: { kind: "atomic", scalar: s.storage, cType: spec.element.c },
        size: s.size,
        align: s.size,
        typeAlign: s.size,
        userAlign: s.size,
      };
    }
    case "aligned": {
      const el = resolve(spec.element, ctx);
      const align = Math.max(el.align, spec.align);
      return {
        ...el,
        align,
        typeAlign: Math.max(el.typeAlign, spec.align),
        userAlign: Math.max(el.userAlign ?? 0, spec.align),
      };
    }
    case "flex": {
      const el = resolve(spec.element, ctx);
      return {
        type: { kind: "flexible", element: el.type },
        size: 0,
        align: el.align,
        typeAlign: el.typeAlign,
        userAlign: el.userAlign,
      };
    }
    case "libc": {
      const info = target.libcTypes[spec.type];
      return {
        type: { kind: "libc", type: spec.type },
        size: info.size,
        align: info.align,
        typeAlign: info.align,
        userAlign: undefined,
      };
    }
    case "bits":
    case "pointer":
      // Bitfields are placed by the engine; pointers are refused by struct().
      throw new SchemaError(ctx.struct, ctx.field, `unexpected ${spec.kind} here`);
  }
}
