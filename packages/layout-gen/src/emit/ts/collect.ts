import { getTargetOrThrow, STORAGE, type TargetName } from "@shmkit/core/targets";
import type { FieldType, ScalarKind, StructLayout } from "../../layout/ir.ts";
import { alignAt } from "./alignment.ts";
import { emitError } from "./schema-error.ts";

/** One generated class: a layout read from a base aligned to `baseAlign` (less than the layout's own alignment
 * only for a struct that a `packed` parent placed at a misaligned offset). */
export interface ClassPlan {
  readonly className: string;
  readonly layout: StructLayout;
  readonly baseAlign: number;
  /** True for the class users attach to; false for a misaligned variant used only as a nested field. */
  readonly primary: boolean;
}

export interface EnumPlan {
  readonly name: string;
  readonly members: Readonly<Record<string, number>>;
}

/** Classes and enums to generate, dependencies first, each once. */
export interface ModulePlan {
  readonly classes: readonly ClassPlan[];
  readonly enums: readonly EnumPlan[];
}

/** The class that reads `layout` from a base aligned to `baseAlign`. */
export function classNameFor(layout: StructLayout, baseAlign: number): string {
  return baseAlign >= layout.align ? layout.name : `${layout.name}_Align${baseAlign}`;
}

export function planModule(layouts: readonly StructLayout[]): ModulePlan {
  const classes = new Map<string, ClassPlan>();
  const byName = new Map<string, StructLayout>();
  const enums = new Map<string, EnumPlan>();

  // `align`: the alignment guaranteed where a value of `type` starts.
  const visitType = (type: FieldType, align: number, target: TargetName, where: string): void => {
    switch (type.kind) {
      case "record":
        visitLayout(type.layout, align, where);
        return;
      case "array":
      case "flexible":
        visitType(type.element, alignAt(align, sizeOfType(type.element, target)), target, where);
        return;
      case "enum": {
        const seen = enums.get(type.name);
        if (seen && JSON.stringify(seen.members) !== JSON.stringify(type.members)) {
          throw emitError(where, `must not define enum ${type.name} twice with different members`);
        }
        enums.set(type.name, { name: type.name, members: type.members });
        return;
      }
      default:
        return;
    }
  };

  const visitLayout = (layout: StructLayout, baseAlign: number, where: string): void => {
    const known = byName.get(layout.name);
    if (known && known.fingerprint !== layout.fingerprint) {
      throw emitError(
        where,
        `must not use two different layouts named ${layout.name} in one module (fingerprints ${known.fingerprint} and ${layout.fingerprint})`,
      );
    }
    byName.set(layout.name, layout);
    const align = Math.min(baseAlign, layout.align);
    const className = classNameFor(layout, align);
    if (classes.has(className)) return;
    for (const field of layout.fields) {
      visitType(
        field.type,
        alignAt(align, field.offset),
        layout.target,
        `${layout.name}.${field.name ?? "(unnamed)"}`,
      );
    }
    classes.set(className, { className, layout, baseAlign: align, primary: align >= layout.align });
  };

  for (const layout of layouts) visitLayout(layout, layout.align, layout.name);
  const ordered = [...classes.values()];
  return {
    classes: ordered,
    enums: [...enums.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/** Bytes one value of `type` takes on `target` (0 for a flexible array member). */
export function sizeOfType(type: FieldType, target: TargetName): number {
  switch (type.kind) {
    case "scalar":
    case "atomic":
    case "enum":
      return scalarSize(type.scalar, target);
    case "string":
      return type.length;
    case "array":
      return type.length * sizeOfType(type.element, target);
    case "flexible":
      return 0;
    case "record":
      return type.layout.size;
    case "libc":
      return getTargetOrThrow(target).libcTypes[type.type].size;
  }
}

/**
 * Bytes of a scalar. Every storage kind has one size except the extended `long double` ones, whose size the
 * target table holds (f80: 12 bytes on i686, 16 on x86_64), so it is read from there, not known twice.
 */
export function scalarSize(scalar: ScalarKind, target: TargetName): number {
  if (scalar === "f80" || scalar === "f128") return getTargetOrThrow(target).scalars["long double"].size;
  return STORAGE[scalar].size;
}
