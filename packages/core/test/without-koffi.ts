// A copy of core's built dist/ where koffi cannot be found, for the tests of what Node says without it: a temp
// folder with node_modules/@shmkit/core (dist/ and package.json) and nothing else, outside the repo, so that no
// node_modules above it has koffi. The script it runs checks that first, and says "koffi hidden" if so.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CORE = join(import.meta.dir, "..");

/**
 * Source of an ES module that, run from the folder `withoutKoffi` made, prints "koffi hidden" (or where koffi
 * was found), then "imported" once @shmkit/core imported, then what its first libc call threw, or "no error".
 */
export const FIRST_USE_SCRIPT = `
import { createRequire } from "node:module";
try {
  console.log("koffi found at " + createRequire(import.meta.url).resolve("koffi"));
} catch {
  console.log("koffi hidden");
}
const core = await import("@shmkit/core");
console.log("imported");
try {
  core.Segment.exists("/shmkit-no-such-segment");
  console.log("no error");
} catch (error) {
  console.log(error.message);
}
`;

/** Runs `fn` with a temp folder holding only core's dist (and `extra` packages); removes it after, also on failure. */
export async function withoutKoffi<T>(
  fn: (dir: string) => Promise<T>,
  extra: Record<string, Record<string, string>> = {},
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "shmkit-no-koffi-"));
  try {
    const core = join(dir, "node_modules/@shmkit/core");
    mkdirSync(core, { recursive: true });
    cpSync(join(CORE, "dist"), join(core, "dist"), { recursive: true });
    cpSync(join(CORE, "package.json"), join(core, "package.json"));
    for (const [name, files] of Object.entries(extra)) {
      for (const [file, text] of Object.entries(files)) {
        mkdirSync(join(dir, "node_modules", name), { recursive: true });
        writeFileSync(join(dir, "node_modules", name, file), text);
      }
    }
    writeFileSync(join(dir, "first-use.mjs"), FIRST_USE_SCRIPT);
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
