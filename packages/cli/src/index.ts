import { readFileSync } from "node:fs";
import { Command, CommanderError } from "commander";
import { EXIT, EXIT_CODE } from "./action.ts";
import { registerDoctor } from "./commands/doctor.ts";
import { registerGen } from "./commands/gen.ts";
import { registerHeader } from "./commands/header.ts";
import { registerImport } from "./commands/import.ts";
import { registerInspect } from "./commands/inspect.ts";
import { registerLayout } from "./commands/layout.ts";
import { registerLs } from "./commands/ls.ts";
import { registerRm } from "./commands/rm.ts";
import { registerVerify } from "./commands/verify.ts";

/** This package's version, from its package.json (one level up from both src/ and dist/). */
export const VERSION: string = (
  JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }
).version;

/** Builds the `shmkit` command tree. Each command lives in `commands/<name>.ts`. */
export function program(): Command {
  const root = new Command("shmkit")
    .description("Typed POSIX shared memory for TypeScript on Bun, byte-compatible with C.")
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  // Subcommands made with .command() inherit exitOverride and showHelpAfterError from the root.
  // In the order of the issue: generate, check layouts against C, then look at live segments.
  registerGen(root);
  registerHeader(root);
  registerLayout(root);
  registerVerify(root);
  registerImport(root);
  registerLs(root);
  registerInspect(root);
  registerRm(root);
  registerDoctor(root);
  return root;
}

/**
 * Runs the CLI with `argv` (as in `process.argv`) and returns the exit code: 0 all good, 1 a problem found or an
 * operation failed, 2 a usage error (or a compiler error, for `verify`).
 */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv]);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === EXIT_CODE) return error.exitCode;
      // --help and --version end through exitOverride with exit code 0; parse errors are usage errors.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw error;
  }
}
