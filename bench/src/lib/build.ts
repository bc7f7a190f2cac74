import { mkdirSync } from "node:fs";

const C_DIR = `${import.meta.dir}/../../c`;
export const BUILD_DIR = `${import.meta.dir}/../../.build`;

/** Compiles the C baselines with the system `cc`; throws with the compiler's output if it fails. */
export function buildC(): string {
  mkdirSync(BUILD_DIR, { recursive: true });
  const out = `${BUILD_DIR}/baselines`;
  const result = Bun.spawnSync(["cc", "-O2", "-Wall", "-o", out, `${C_DIR}/baselines.c`, "-lpthread"]);
  if (result.exitCode !== 0) throw new Error(`cc failed:\n${result.stderr.toString()}`);
  return out;
}
