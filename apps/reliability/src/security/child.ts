// The other process of the security checks. Usage:
//   bun child.ts modes <prefix>               create one segment per mode 0o000…0o777 (both create paths), check
//   bun child.ts create <name> <size> <mode>  create a segment (run as nobody: the squatter)
//   bun child.ts open <name> <trust|plain> <ro|rw>
// Prints one JSON line and exits 0; an error is printed as {error, code} (exit 0 too: the parent judges it).
import { statSync } from "node:fs";
import { Segment, ShmArgumentError, ShmError } from "@shmkit/core";

const [command, ...args] = process.argv.slice(2);

function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof ShmError) return { error: error.message, code: error.code };
  if (error instanceof ShmArgumentError) return { error: error.message, code: `arg:${error.argument}` };
  return { error: String(error), code: "untyped" };
}

function modes(prefix: string): Record<string, unknown> {
  // Reading the umask means setting it; put the same value back at once.
  const umask = process.umask(0);
  process.umask(umask);
  const mismatches: string[] = [];
  let checked = 0;
  for (const exclusive of [true, false]) {
    for (let mode = 0; mode <= 0o777; mode++) {
      const name = `/${prefix}${exclusive ? "x" : "o"}${mode.toString(8)}`;
      try {
        using seg = Segment.create(name, { size: 64, mode, exclusive });
        try {
          const viaFstat = seg.stat().mode;
          const viaPath = statSync(`/dev/shm${name}`).mode & 0o7777;
          if (viaFstat !== mode || viaPath !== mode) {
            mismatches.push(`${mode.toString(8)} → ${viaPath.toString(8)} (exclusive ${exclusive})`);
          }
          checked++;
        } finally {
          seg.unlink();
        }
      } catch (error) {
        mismatches.push(`${mode.toString(8)}: ${JSON.stringify(errorJson(error))}`);
      }
    }
  }
  return { umask, checked, mismatches };
}

function main(): Record<string, unknown> {
  switch (command) {
    case "modes":
      return modes(args[0] ?? "");
    case "create": {
      const [name = "", size = "64", mode = "600"] = args;
      using seg = Segment.create(name, { size: Number(size), mode: Number.parseInt(mode, 8) });
      return { size: seg.size, uid: seg.stat().uid, mode: seg.stat().mode };
    }
    case "open": {
      const [name = "", trust, access] = args;
      using seg = Segment.open(name, { trustOwner: trust === "trust", readonly: access === "ro" });
      return { size: seg.size };
    }
    default:
      throw new Error(`unknown command ${command}`);
  }
}

try {
  console.log(JSON.stringify(main()));
} catch (error) {
  console.log(JSON.stringify(errorJson(error)));
}
