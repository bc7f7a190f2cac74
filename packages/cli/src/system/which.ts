import { accessSync, constants, statSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";

/**
 * The path of `command` as a shell would run it, or undefined: a name is looked up in `PATH`, a path with a
 * slash is taken from the working directory. Either way it must be an executable regular file. (What `Bun.which`
 * does, with node:fs, so that it works on Node and Deno too.)
 */
export function which(command: string, path = process.env.PATH ?? ""): string | undefined {
  if (command === "") return undefined;
  if (command.includes("/")) return executable(resolve(command)) ? resolve(command) : undefined;
  for (const dir of path.split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, command);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

function executable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch (error) {
    // ENOENT, EACCES, ENOTDIR…: not this one. Anything else (Deno's NotCapable without --allow-sys) is not an
    // answer about the file, and goes up to say what the runtime needs.
    if (typeof (error as { code?: unknown }).code === "string") return false;
    throw error;
  }
}
