import { normalizeName, Segment, ShmArgumentError, ShmError } from "@shmkit/core";
import type { Command } from "commander";
import { action, EXIT } from "../action.ts";
import { printError } from "../output.ts";

interface RmOptions {
  force?: boolean;
}

/** `shmkit rm NAME…`: unlinks each segment; a name that fails gets its own message and the others go on. */
export function registerRm(program: Command): void {
  program
    .command("rm")
    .description(
      "remove shared memory segments (shm_unlink); processes that have them mapped keep their memory",
    )
    .argument("<names...>", "segment names, with or without the leading slash")
    .option("-f, --force", "ignore names that do not exist")
    .addHelpText(
      "after",
      "\nExit status: 0 if every name was removed, 1 if one could not be, 2 if a name is not a valid segment name." +
        "\n\nExample:\n  $ shmkit rm /orders orders-backup",
    )
    .action(action("rm", (names: string[], options: RmOptions) => rm(names, options)));
}

function rm(names: readonly string[], options: RmOptions): number {
  let code: number = EXIT.ok;
  for (const name of names) {
    try {
      Segment.unlink(normalizeName(name), { ifExists: options.force ?? false });
    } catch (error) {
      if (error instanceof ShmArgumentError) {
        printError("rm", error.message);
        code = EXIT.usage;
      } else if (error instanceof ShmError) {
        printError("rm", error.message);
        if (code === EXIT.ok) code = EXIT.problem;
      } else {
        throw error;
      }
    }
  }
  return code;
}
