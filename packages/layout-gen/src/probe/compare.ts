import type { StructLayout } from "../layout/ir.ts";
import type { ProbedType, ProbeQuery } from "./types.ts";

/** The probe query that measures every named member of `layout` (`struct Name` or `union Name`). */
export function probeQueryFor(layout: StructLayout): ProbeQuery {
  return {
    type: `${layout.kind} ${layout.name}`,
    fields: layout.fields.flatMap((f) =>
      f.name === undefined
        ? []
        : [{ path: f.name, bitfield: f.bitWidth !== undefined, flexible: f.type.kind === "flexible" }],
    ),
  };
}

/**
 * Where a layout and the compiler's measurements of the same type disagree, one sentence each, in the
 * verification style `Order.qty: offset 8 in the schema, 12 in cc`. Empty when they agree. `probed` must come
 * from `probeQueryFor(layout)` (members are matched by path).
 */
export function layoutProblems(
  layout: StructLayout,
  probed: ProbedType,
  compilerName = "the compiler",
): string[] {
  const out: string[] = [];
  const say = (where: string, what: string, mine: number, theirs: number): void => {
    if (mine !== theirs) out.push(`${where}: ${what} ${mine} in the schema, ${theirs} in ${compilerName}`);
  };
  say(layout.name, "size", layout.size, probed.size);
  say(layout.name, "alignment", layout.align, probed.align);
  const measured = new Map(probed.fields.map((f) => [f.path, f]));
  for (const field of layout.fields) {
    if (field.name === undefined) continue;
    const where = `${layout.name}.${field.name}`;
    const theirs = measured.get(field.name);
    if (!theirs) {
      out.push(`${where}: not measured in ${compilerName}`);
      continue;
    }
    if (field.bitWidth === undefined) {
      say(where, "offset", field.offset, theirs.offset);
      say(where, "size", field.size, theirs.size);
    } else {
      say(
        where,
        "bit offset",
        field.offset * 8 + (field.bitOffset ?? 0),
        theirs.offset * 8 + (theirs.bitOffset ?? 0),
      );
      say(where, "bit width", field.bitWidth, theirs.bitWidth ?? 0);
    }
  }
  return out;
}
