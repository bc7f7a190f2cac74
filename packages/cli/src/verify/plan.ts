import type { FieldLayout, FieldType, StructLayout } from "@shmkit/layout-gen";
import type { ProbeField, ProbeQuery } from "@shmkit/layout-gen/probe";
import type { CField, CRecord, CType } from "../clang/model.ts";

/** One difference between the schema and the header, as one line: `Order.qty: offset 8 in schema, 12 in order.h:7`. */
export interface Problem {
  /** `Order` or `Order.origin.x`. */
  readonly path: string;
  readonly kind:
    | "missing-struct"
    | "kind"
    | "size"
    | "align"
    | "offset"
    | "bit-offset"
    | "bit-width"
    | "only-in-schema"
    | "only-in-header"
    | "bitfield";
  /** Numbers are bytes, or bits from the start of the enclosing struct for `bit-offset`. */
  readonly schema: number | string | null;
  readonly header: number | string | null;
  /** `order.h:7`, where the header declares it. */
  readonly where: string;
  readonly message: string;
}

/** A member to compare once the compiler has measured it. */
interface Check {
  readonly path: string;
  readonly probePath: string;
  readonly schema: FieldLayout;
  readonly header: CField;
  /** The enclosing member (nested structs), to report offsets relative to it as a C programmer reads them. */
  readonly parent: Check | undefined;
  readonly bitfield: boolean;
  readonly flexible: boolean;
  /** Position in schema order (depth first), so problems print in the order of the struct's members. */
  readonly seq: number;
}

/** What to ask the compiler about one top-level struct, and what to compare its answers with. */
export interface StructPlan {
  readonly layout: StructLayout;
  readonly record: CRecord;
  readonly query: ProbeQuery;
  readonly checks: readonly Check[];
  /** Differences found without the compiler: members on one side only, bitfield on one side only. */
  readonly problems: readonly Problem[];
  /** Where each of `problems` goes among the members (see `Check.seq`). */
  readonly order: ReadonlyMap<Problem, number>;
}

/** Pairs a schema layout with the header's record, member by member and into nested structs, unions and arrays. */
export function planStruct(layout: StructLayout, record: CRecord): StructPlan {
  const checks: Check[] = [];
  const problems: Problem[] = [];
  const order = new Map<Problem, number>();
  let seq = 0;
  const report = (problem: Problem) => {
    problems.push(problem);
    order.set(problem, seq);
  };
  const walk = (
    l: StructLayout,
    r: CRecord,
    probePrefix: string,
    display: string,
    parent: Check | undefined,
  ) => {
    const headerByName = new Map(
      r.fields.filter((f) => f.name !== undefined).map((f) => [f.name as string, f]),
    );
    const schemaNames = new Set(l.fields.map((f) => f.name).filter((n): n is string => n !== undefined));
    for (const field of l.fields) {
      if (field.name === undefined) continue;
      seq++;
      const path = `${display}.${field.name}`;
      const h = headerByName.get(field.name);
      if (!h) {
        report({
          path,
          kind: "only-in-schema",
          schema: field.offset,
          header: null,
          where: r.where,
          message: `${path}: in schema, not in ${r.spelling} (${r.where})`,
        });
        continue;
      }
      const schemaBits = field.bitWidth !== undefined;
      const headerBits = h.bitWidth !== undefined;
      if (schemaBits !== headerBits) {
        report({
          path,
          kind: "bitfield",
          schema: schemaBits ? `${field.bitWidth} bits` : "not a bitfield",
          header: headerBits ? `${h.bitWidth} bits` : "not a bitfield",
          where: h.where,
          message: `${path}: ${schemaBits ? `a ${field.bitWidth}-bit bitfield` : "not a bitfield"} in schema, ${headerBits ? `a ${h.bitWidth}-bit bitfield` : "not a bitfield"} in ${h.where}`,
        });
      }
      // Measure what the header declares: offsetof() of a bitfield would not compile.
      const check: Check = {
        path,
        probePath: `${probePrefix}${field.name}`,
        schema: field,
        header: h,
        parent,
        bitfield: headerBits,
        flexible: h.type.kind === "flexible",
        seq,
      };
      checks.push(check);
      if (schemaBits || headerBits) continue;
      const nested = nestedRecords(field.type, h.type);
      if (nested) walk(nested.layout, nested.record, `${check.probePath}${nested.index}.`, path, check);
    }
    for (const h of r.fields) {
      if (h.name === undefined || schemaNames.has(h.name)) continue;
      seq++;
      const path = `${display}.${h.name}`;
      report({
        path,
        kind: "only-in-header",
        schema: null,
        header: h.name,
        where: h.where,
        message: `${path}: in ${h.where}, not in schema`,
      });
    }
  };
  if (layout.kind !== record.kind) {
    report({
      path: layout.name,
      kind: "kind",
      schema: layout.kind,
      header: record.kind,
      where: record.where,
      message: `${layout.name}: a ${layout.kind} in schema, a ${record.kind} in ${record.where}`,
    });
  }
  walk(layout, record, "", layout.name, undefined);
  const fields: ProbeField[] = checks.map((c) => {
    // `flexible` asks the probe for offsetof only: sizeof a flexible array member does not compile.
    const field = { path: c.probePath, bitfield: c.bitfield, flexible: c.flexible };
    return field;
  });
  return { layout, record, query: { type: record.spelling, fields }, checks, problems, order };
}

/** Both sides hold a struct/union (or same-shaped arrays of them): compare inside, through element `[0]`. */
function nestedRecords(
  schema: FieldType,
  header: CType,
): { layout: StructLayout; record: CRecord; index: string } | undefined {
  let s = schema;
  let h = header;
  let index = "";
  while (s.kind === "array" && h.kind === "array") {
    s = s.element;
    h = h.element;
    index += "[0]";
  }
  if (s.kind === "record" && h.kind === "record") return { layout: s.layout, record: h.record, index };
  return undefined;
}

/** What the compiler measured for one member, as the probe returns it. */
export interface Measured {
  readonly offset: number;
  readonly size: number;
  readonly bitOffset?: number;
  readonly bitWidth?: number;
}

/**
 * Compares the compiler's measurements with the schema and returns every problem of the struct: its size and
 * alignment first, then its members' in schema order, with the members found on one side only among them.
 */
export function compare(
  plan: StructPlan,
  measured: { size: number; align: number; fields: readonly Measured[] },
): Problem[] {
  const problems: Problem[] = [];
  const order = new Map<Problem, number>(plan.order);
  let current = 0;
  const add = (problem: Problem) => {
    problems.push(problem);
    order.set(problem, current);
  };
  const { layout, record } = plan;
  const where = record.where;
  if (layout.size !== measured.size) {
    add(line(layout.name, "size", layout.size, measured.size, where, "size"));
  }
  if (layout.align !== measured.align) {
    add(line(layout.name, "align", layout.align, measured.align, where, "align"));
  }
  const byCheck = new Map(plan.checks.map((c, i) => [c, measured.fields[i]]));
  const headerStart = (c: Check | undefined): number => (c ? (byCheck.get(c)?.offset ?? 0) : 0);
  for (const check of plan.checks) {
    current = check.seq;
    const m = byCheck.get(check);
    if (!m) continue;
    const s = check.schema;
    const schemaBits = s.bitWidth !== undefined;
    if (check.bitfield) {
      if (!schemaBits) continue; // reported as "a bitfield in one place only"
      // Bit positions from the start of the enclosing struct, so the two sides' byte granularity does not matter.
      const schemaBit = s.offset * 8 + (s.bitOffset ?? 0);
      const headerBit = (m.offset - headerStart(check.parent)) * 8 + (m.bitOffset ?? 0);
      if (schemaBit !== headerBit) {
        // As byte:bit (bit 0 the least significant of that byte), the way a C programmer finds it in a dump.
        const at = (bit: number) => `${Math.floor(bit / 8)}:${bit % 8}`;
        add({
          path: check.path,
          kind: "bit-offset",
          schema: schemaBit,
          header: headerBit,
          where: check.header.where,
          message: `${check.path}: bit position ${at(schemaBit)} in schema, ${at(headerBit)} in ${check.header.where}`,
        });
      }
      if (s.bitWidth !== m.bitWidth) {
        add(line(check.path, "bit-width", s.bitWidth ?? 0, m.bitWidth ?? 0, check.header.where, "bit width"));
      }
      continue;
    }
    const headerOffset = m.offset - headerStart(check.parent);
    if (s.offset !== headerOffset) {
      add(line(check.path, "offset", s.offset, headerOffset, check.header.where, "offset"));
    }
    if (!check.flexible && !schemaBits && s.size !== m.size) {
      add(line(check.path, "size", s.size, m.size, check.header.where, "size"));
    }
  }
  // Array.prototype.sort is stable: problems of one member keep the order they were found in.
  return [...problems, ...plan.problems].sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
}

function line(
  path: string,
  kind: Problem["kind"],
  schema: number,
  header: number,
  where: string,
  what: string,
): Problem {
  return {
    path,
    kind,
    schema,
    header,
    where,
    message: `${path}: ${what} ${schema} in schema, ${header} in ${where}`,
  };
}
