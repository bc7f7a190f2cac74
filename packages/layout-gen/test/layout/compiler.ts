import type { TargetName } from "@shmkit/core/targets";
import type { RecordDef } from "../../src/index.ts";
import { checkBatch } from "../fuzz/support/compare.ts";
import { type TargetCompiler, targetCompilers } from "../fuzz/support/compilers.ts";

// The first compiler listed per target is its system compiler (gcc on Linux); the fuzz test also runs clang.
const compilers = new Map<TargetName, TargetCompiler>();
for (const tc of targetCompilers()) if (!compilers.has(tc.target)) compilers.set(tc.target, tc);

/** The compiler for `target`, or the reason there is none on this machine (the test then skips and says so). */
export function compilerFor(target: TargetName): TargetCompiler {
  return compilers.get(target) as TargetCompiler;
}

/** The sentences describing where the engine and the real compiler disagree on `defs` (empty when they agree). */
export async function disagreements(defs: readonly RecordDef[], target: TargetName): Promise<string[]> {
  const mismatches = await checkBatch(defs, compilerFor(target));
  return mismatches.flatMap((m) => m.problems);
}
