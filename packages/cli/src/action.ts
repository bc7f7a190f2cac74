import { ShmArgumentError, ShmError } from "@shmkit/core";
import { CommanderError, InvalidArgumentError } from "commander";
import { printError } from "./output.ts";

/** Exit codes of every command: all good, a problem found (or an operation failed), a usage or compiler error. */
export const EXIT = { ok: 0, problem: 1, usage: 2 } as const;

/** The CommanderError code that carries a command's own exit code out of `parseAsync` to `run()`. */
export const EXIT_CODE = "shmkit.exit";

/**
 * Wraps a command's implementation for commander's `.action()`: the number it returns becomes the exit code of
 * `run()`. A `ShmArgumentError` (a bad name or size) is a usage error (2); a `ShmError` from the OS is a failed
 * operation (1), and so is a runtime that cannot do what the command needs (see `isRuntimeRefusal`). Each is
 * printed as one line; anything else is a bug and propagates with its stack.
 */
export function action<A extends unknown[]>(command: string, body: (...args: A) => Promise<number> | number) {
  return async (...args: A): Promise<void> => {
    let code: number;
    try {
      code = await body(...args);
    } catch (error) {
      if (error instanceof ShmArgumentError) {
        printError(command, error.message);
        code = EXIT.usage;
      } else if (error instanceof ShmError) {
        printError(command, error.message);
        code = EXIT.problem;
      } else if (isRuntimeRefusal(error)) {
        // `bunx shmkit` starts the bin with whatever node is on PATH; say how to have Bun run it instead.
        const hint = error.message.includes("without node:ffi needs koffi")
          ? " (bunx --bun shmkit runs shmkit with Bun)"
          : "";
        printError(command, `${error.message}${hint}`);
        code = EXIT.problem;
      } else {
        throw error;
      }
    }
    if (code !== EXIT.ok) throw new CommanderError(code, EXIT_CODE, "");
  };
}

/** commander option parser for a non-negative integer (decimal or 0x hex), such as `--offset 0x40`. */
export function parseCount(value: string): number {
  const n = /^0x[0-9a-f]+$/i.test(value)
    ? Number.parseInt(value, 16)
    : /^\d+$/.test(value)
      ? Number(value)
      : NaN;
  if (!Number.isSafeInteger(n))
    throw new InvalidArgumentError("must be a non-negative integer, such as 64 or 0x40.");
  return n;
}

/**
 * A runtime refusing what a command needs, which the user fixes by how they run shmkit: a Node without `node:ffi`
 * or a Deno without `--allow-ffi` (core's first libc call says which, in an Error of its own), or a Deno
 * permission check (`NotCapable`: "Requires read access to …, run again with the --allow-read flag").
 */
function isRuntimeRefusal(error: unknown): error is Error {
  if (!(error instanceof Error)) return false;
  if ("Deno" in globalThis && (error.name === "NotCapable" || error.name === "PermissionDenied")) return true;
  return /^@shmkit\/core (needs|runs on) /.test(error.message);
}
