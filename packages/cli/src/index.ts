import { Command, CommanderError } from "commander";

/** Builds the `shmkit` command tree. Each command lives in `commands/<name>.ts`. */
export function program(): Command {
  return new Command("shmkit")
    .description("Typed POSIX shared memory for TypeScript on Bun, byte-compatible with C.")
    .version("0.0.0")
    .showHelpAfterError()
    .exitOverride();
}

/** Runs the CLI with `argv` (as in `process.argv`) and returns the exit code. */
export async function run(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with exit code 0.
      return error.exitCode === 0 ? 0 : 2;
    }
    throw error;
  }
}
