import { randomSeed } from "./rng.ts";

/** `SHMKIT_STRESS_SEED` replays a run; otherwise a fresh seed, which every summary line prints. */
export function seedFromEnv(): number {
  const text = process.env.SHMKIT_STRESS_SEED;
  if (text === undefined || text === "") return randomSeed();
  const seed = Number(text);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`SHMKIT_STRESS_SEED: must be an integer from 0 to 4294967295, got ${text}`);
  }
  return seed;
}
