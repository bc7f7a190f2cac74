import { Segment, type SegmentInfo, ShmError } from "@shmkit/core";
import type { Command } from "commander";
import { action, EXIT } from "../action.ts";
import { formatMode, painter, printJson, println, table } from "../output.ts";
import { readTypedHeader, type TypedHeaderInfo } from "../typed-header.ts";
import { userName } from "../users.ts";

interface LsOptions {
  json?: boolean;
}

/** One row of `shmkit ls --json`. */
export interface LsEntry {
  name: string;
  size: number;
  mode: string;
  uid: number;
  gid: number;
  owner: string;
  mtime: string;
  /** The header of a typed segment; null for a plain one, or one this user cannot read. */
  typed: Omit<TypedHeaderInfo, "fields"> | null;
}

/** `shmkit ls [--json]`: the named segments in /dev/shm, with the header of typed ones. */
export function registerLs(program: Command): void {
  program
    .command("ls")
    .description(
      "list the shared memory segments in /dev/shm: size, mode, owner, and struct, fingerprint and state of typed ones",
    )
    .option("--json", "print a JSON array instead of a table")
    .addHelpText("after", "\nExample:\n  $ shmkit ls\n  $ shmkit ls --json | jq '.[].name'")
    .action(action("ls", (options: LsOptions) => ls(options)));
}

function ls(options: LsOptions): number {
  const entries = Segment.list().map(toEntry);
  if (options.json) {
    printJson(entries);
    return EXIT.ok;
  }
  if (entries.length === 0) {
    println("no shared memory segments in /dev/shm");
    return EXIT.ok;
  }
  const paint = painter();
  const rows = entries.map((e) => [
    paint("bold", e.name),
    String(e.size),
    e.mode,
    e.owner,
    e.mtime.replace("T", " ").replace(/\.\d+Z$/, "Z"),
    e.typed ? e.typed.struct || "?" : "-",
    e.typed ? e.typed.fingerprint.slice(0, 16) : "-",
    e.typed ? paint(e.typed.ready === "ready" ? "green" : "yellow", e.typed.ready) : "-",
  ]);
  println(table(["NAME", "SIZE", "MODE", "OWNER", "MODIFIED", "STRUCT", "FINGERPRINT", "STATE"], rows, [1]));
  return EXIT.ok;
}

function toEntry(info: SegmentInfo): LsEntry {
  return {
    name: info.name,
    size: info.size,
    mode: formatMode(info.mode),
    uid: info.uid,
    gid: info.gid,
    owner: userName(info.uid),
    mtime: info.mtime.toISOString(),
    typed: typedHeader(info),
  };
}

/** The header without its field table, which `inspect` shows. */
function typedHeader(info: SegmentInfo): Omit<TypedHeaderInfo, "fields"> | null {
  if (info.size === 0) return null;
  try {
    using seg = Segment.open(info.name, { readonly: true });
    const header = readTypedHeader(seg);
    if (!header) return null;
    const { fields: _, ...rest } = header;
    return rest;
  } catch (error) {
    // Another user's segment (EACCES), or one unlinked since the listing: list it without a header.
    if (error instanceof ShmError) return null;
    throw error;
  }
}
