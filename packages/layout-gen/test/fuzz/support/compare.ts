import type { TargetName } from "@shmkit/core/targets";
import { layoutOf, type RecordDef, struct, type TypeSpec, union } from "../../../src/index.ts";
import { layoutProblems, type ProbedType, probeLayouts, probeQueryFor } from "../../../src/probe/index.ts";
import { cDeclarations } from "./c-source.ts";
import { prelude, type TargetCompiler } from "./compilers.ts";

/** Every struct and union reachable from `roots`, each once. */
export function allRecords(roots: readonly RecordDef[]): RecordDef[] {
  const seen = new Map<string, RecordDef>();
  const visit = (type: TypeSpec): void => {
    if (type.kind === "struct" || type.kind === "union") {
      if (seen.has(type.name)) return;
      seen.set(type.name, type);
      for (const f of type.fields) visit(f.type);
    } else if ("element" in type && type.element !== undefined && type.kind !== "bits") visit(type.element);
  };
  for (const root of roots) visit(root);
  return [...seen.values()];
}

export interface Mismatch {
  readonly root: RecordDef;
  readonly problems: string[];
  /** The innermost record that differs while everything nested in it agrees: the one to shrink. */
  readonly culprit: RecordDef;
}

/** Probes every record of `roots` in one compile and returns the roots whose layout (or a nested one) differs. */
export async function checkBatch(roots: readonly RecordDef[], tc: TargetCompiler): Promise<Mismatch[]> {
  const target: TargetName = tc.target;
  const records = allRecords(roots);
  const source = prelude(tc.libc) + cDeclarations(roots);
  const result = await probeLayouts(
    source,
    records.map((def) => probeQueryFor(layoutOf(def, { target }))),
    { compiler: tc.compiler, timeoutMs: 120_000 },
  );
  if (!result.ok) throw new Error(`${tc.compiler.join(" ")} failed:\n${result.stderr.slice(0, 4000)}`);
  const problemsOf = new Map<string, string[]>();
  records.forEach((def, i) => {
    const problems = layoutProblems(layoutOf(def, { target }), result.types[i] as ProbedType, tc.compiler[0]);
    if (problems.length) problemsOf.set(def.name, problems);
  });
  const mismatches: Mismatch[] = [];
  for (const root of roots) {
    const records = allRecords([root]);
    const problems = records.flatMap((d) => problemsOf.get(d.name) ?? []);
    const culprit = records.find(
      (d) => problemsOf.has(d.name) && allRecords([d]).every((n) => n === d || !problemsOf.has(n.name)),
    );
    if (problems.length) mismatches.push({ root, problems, culprit: culprit ?? root });
  }
  return mismatches;
}

/** Removes fields (greedily, also inside nested records) while the layout still differs: the smallest C to report. */
export async function shrink(root: RecordDef, tc: TargetCompiler): Promise<RecordDef> {
  let current = root;
  for (let round = 0; round < 3; round++) {
    let changed = false;
    for (let i = current.fields.length - 1; i >= 0; i--) {
      const fields = Object.fromEntries(
        current.fields.filter((_, j) => j !== i).map((f) => [f.name, f.type]),
      );
      const candidate = rebuild(current, fields);
      if (candidate && (await checkBatch([candidate], tc)).length > 0) {
        current = candidate;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return current;
}

function rebuild(def: RecordDef, fields: Record<string, TypeSpec>): RecordDef | undefined {
  const options = {
    ...(def.packed ? { packed: true } : {}),
    ...(def.align !== undefined ? { align: def.align } : {}),
  };
  try {
    return def.kind === "union" ? union(def.name, fields, options) : struct(def.name, fields, options);
  } catch {
    return undefined;
  }
}
