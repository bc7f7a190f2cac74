import { normalizeName, Segment } from "@shmkit/core";
import { firstDifference } from "@shmkit/core/runtime";
import { hostTarget } from "@shmkit/core/targets";
import type { StructLayout } from "@shmkit/layout-gen";
import type { Command } from "commander";
import { action, EXIT, parseCount } from "../action.ts";
import { decodedLines, decodeRecord } from "../decode.ts";
import { hexdump } from "../hexdump.ts";
import { formatMode, painter, printError, printJson, println } from "../output.ts";
import { layoutAll, loadSchema } from "../schema-loader.ts";
import { readAt } from "../system/read-at.ts";
import { readTypedHeader, type TypedHeaderInfo } from "../typed-header.ts";
import { userName } from "../users.ts";

interface InspectOptions {
  schema?: string;
  struct?: string;
  offset?: number;
  length?: number;
  json?: boolean;
  watch?: boolean;
  interval: number;
}

/** `shmkit inspect NAME`: what is in a live segment now, as a hex dump; `--watch` redraws it on change. */
export function registerInspect(program: Command): void {
  program
    .command("inspect")
    .description(
      "show what a live segment holds, field by field with a schema, else as a hex dump; --watch redraws on change",
    )
    .argument("<name>", "segment name, with or without the leading slash")
    .option(
      "--schema <file>",
      "decode field by field with this schema (typed segments: checked by fingerprint)",
    )
    .option(
      "--struct <name>",
      "the struct to decode (default: the typed segment's, or the schema's only one)",
    )
    .option(
      "--offset <bytes>",
      "start at this byte (decimal or 0x hex; default: 0, or the struct of a typed segment)",
      parseCount,
    )
    .option(
      "--length <bytes>",
      "show at most this many bytes (default: 64 KiB, or the struct's size)",
      parseCount,
    )
    .option("--json", "print JSON (the bytes as a hex string) instead of a hex dump")
    .option("-w, --watch", "redraw whenever the contents change, until Ctrl-C")
    .option("--interval <ms>", "how often --watch looks for changes", parseCount, 250)
    .addHelpText(
      "after",
      "\nThe segment is read with pread(2), never through a mapping, so a segment that another process" +
        "\ntruncates cannot crash shmkit. Without a header (a C layout), --schema decodes at --offset (default 0)." +
        "\n\nExample:\n  $ shmkit inspect /orders --length 64\n  $ shmkit inspect orders --schema src/order.schema.ts --watch",
    )
    .action(action("inspect", (name: string, options: InspectOptions) => inspect(name, options)));
}

async function inspect(rawName: string, options: InspectOptions): Promise<number> {
  const name = normalizeName(rawName);
  using seg = Segment.open(name, { readonly: true });
  const view = options.schema ? await schemaView(seg, options.schema, options) : viewOf(seg, options);
  if (typeof view === "number") return view;
  if (!options.watch) {
    const snapshot = read(seg, view);
    if (options.json) printJson(toJson(seg, view, snapshot));
    else println(render(seg, view, snapshot).join("\n"));
    return EXIT.ok;
  }
  return await watch(seg, view, options);
}

/** What to show: the range asked for, by default all of a plain segment or the struct of a typed one. */
interface View {
  readonly offset: number;
  readonly length: number | undefined;
  readonly typed: TypedHeaderInfo | undefined;
  /** With --schema: the struct to decode the range as. */
  readonly layout?: StructLayout;
}

/**
 * The struct to decode with `--schema`: the one named, else the typed segment's, else the schema's only one. A
 * typed segment must carry the same fingerprint as this host's layout of it, or nothing is decoded.
 */
async function schemaView(seg: Segment, schema: string, options: InspectOptions): Promise<View | number> {
  const typed = readTypedHeader(seg);
  const loaded = await loadSchema(schema);
  if (!loaded.ok) {
    printError("inspect", loaded.message);
    return EXIT.usage;
  }
  const wanted = options.struct ?? typed?.struct;
  const record = wanted
    ? (loaded.records.find((r) => r.def.name === wanted) ??
      loaded.records.find((r) => r.exportName === wanted))
    : loaded.records.length === 1
      ? loaded.records[0]
      : undefined;
  if (!record) {
    const known = loaded.records.map((r) => r.def.name).join(", ");
    printError(
      "inspect",
      wanted
        ? `${wanted}: no such struct or union in ${schema} (it exports: ${known})`
        : `${schema} exports ${known}: name one with --struct`,
    );
    return EXIT.usage;
  }
  const target = hostTarget().name;
  const laid = await layoutAll([record], target);
  if (!laid.ok) {
    printError("inspect", laid.message);
    return EXIT.usage;
  }
  const layout = laid.layouts[0] as StructLayout;
  if (typed && typed.fingerprint !== layout.fingerprint) {
    const { fieldDigests } = await import("@shmkit/layout-gen");
    const why = firstDifference(
      { name: layout.name, target, size: layout.size, fields: fieldDigests(layout) },
      {
        struct: typed.struct,
        target: typed.target || "an unknown target",
        size: typed.dataSize,
        fields: typed.fields,
      },
    );
    printError(
      "inspect",
      `${seg.name} holds ${typed.struct} laid out for ${typed.target || "an unknown target"} with fingerprint ${typed.fingerprint}, ` +
        `but ${schema} lays out ${layout.name} on ${target} with fingerprint ${layout.fingerprint}: ${why}, so its bytes ` +
        "would be misread. Use the schema the segment was made with.",
    );
    return EXIT.problem;
  }
  const offset = typed ? typed.dataOffset : (options.offset ?? 0);
  const size = seg.stat().size;
  if (offset + layout.size > size) {
    printError(
      "inspect",
      `${seg.name} has ${size} bytes, too few for ${layout.name} (${layout.size} bytes) at offset ${offset}`,
    );
    return EXIT.problem;
  }
  return { offset, length: layout.size, typed, layout };
}

function viewOf(seg: Segment, options: InspectOptions): View {
  const typed = readTypedHeader(seg);
  const whole = options.offset === undefined && options.length === undefined;
  if (typed && whole) return { offset: typed.dataOffset, length: typed.dataSize, typed };
  // A 4 GiB segment would be 4 GiB read on every --watch tick: without --length, show the first 64 KiB.
  return { offset: options.offset ?? 0, length: options.length ?? DEFAULT_LENGTH, typed };
}

/** How much `inspect` shows without `--length`. */
export const DEFAULT_LENGTH = 64 * 1024;

/** Reads the asked-for range with pread on the segment's descriptor: a short read past a truncation, no SIGBUS. */
function read(seg: Segment, view: View): Uint8Array {
  const size = seg.stat().size;
  const start = Math.min(view.offset, size);
  const length = Math.min(view.length ?? size - start, size - start);
  return readAt(seg.fd, start, length);
}

function render(seg: Segment, view: View, bytes: Uint8Array): string[] {
  const paint = painter();
  const stat = seg.stat();
  const range =
    view.offset === 0 && bytes.length === stat.size
      ? ""
      : `  showing ${bytes.length} bytes from offset ${view.offset}`;
  const lines = [
    `${paint("bold", seg.name)}  ${stat.size} bytes  mode ${formatMode(stat.mode)}  owner ${userName(stat.uid)}${range}`,
  ];
  const typed = view.typed;
  if (typed) {
    const state = paint(typed.ready === "ready" ? "green" : "yellow", typed.ready);
    lines.push(
      `typed segment: struct ${paint("bold", typed.struct)}${typed.target ? ` for ${typed.target}` : ""}  fingerprint ${typed.fingerprint}  format ${typed.version}  ${state}`,
      ...(view.layout
        ? []
        : [
            `  the struct is ${typed.dataSize} bytes at offset ${typed.dataOffset}; give --schema FILE to decode it field by field`,
          ]),
    );
  }
  if (view.layout) {
    const l = view.layout;
    lines.push(
      `${paint("bold", `${l.kind} ${l.name}`)}  ${l.size} bytes at offset ${view.offset}  (${l.target}, fingerprint ${l.fingerprint})`,
      ...(bytes.length < l.size ? [paint("yellow", shrunk(l, bytes))] : decodedLines(l, bytes)),
    );
    return lines;
  }
  return [...lines, ...hexdump(bytes, view.offset)];
}

function toJson(seg: Segment, view: View, bytes: Uint8Array) {
  const stat = seg.stat();
  return {
    name: seg.name,
    size: stat.size,
    mode: formatMode(stat.mode),
    uid: stat.uid,
    owner: userName(stat.uid),
    typed: view.typed ?? null,
    offset: view.offset,
    length: bytes.length,
    ...(view.layout
      ? {
          struct: view.layout.name,
          fingerprint: view.layout.fingerprint,
          ...(bytes.length < view.layout.size
            ? { values: null, problem: shrunk(view.layout, bytes) }
            : { values: decodeRecord(view.layout, bytes) }),
        }
      : {}),
    hex: Buffer.from(bytes).toString("hex"),
  };
}

/** Another process truncated the segment under us: say so instead of decoding past its end. */
function shrunk(layout: StructLayout, bytes: Uint8Array): string {
  return `only ${bytes.length} of the struct's ${layout.size} bytes are left: the segment was truncated`;
}

async function watch(seg: Segment, view: View, options: InspectOptions): Promise<number> {
  const tty = process.stdout.isTTY === true;
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  try {
    let last: Uint8Array | undefined;
    while (!stopped) {
      const now = read(seg, view);
      if (!last || !Buffer.from(now).equals(Buffer.from(last))) {
        const frame = options.json ? [JSON.stringify(toJson(seg, view, now))] : render(seg, view, now);
        // On a terminal, redraw in place; in a pipe, each frame follows the last with a time stamp.
        if (tty) process.stdout.write(`\x1b[H\x1b[2J${frame.join("\n")}\n`);
        else if (options.json) println(frame.join("\n"));
        else println([`-- ${new Date().toISOString()}`, ...frame].join("\n"));
        last = now;
      }
      if (!Segment.exists(seg.name)) {
        printError("inspect", `${seg.name} was unlinked; stopped watching`);
        return EXIT.problem;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.max(options.interval, 10));
      });
    }
    return EXIT.ok;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
  }
}
