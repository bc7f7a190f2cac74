import { readSync } from "node:fs";
import { normalizeName, Segment } from "@shmkit/core";
import type { Command } from "commander";
import { action, EXIT, parseCount } from "../action.ts";
import { hexdump } from "../hexdump.ts";
import { formatMode, painter, printError, printJson, println } from "../output.ts";
import { readTypedHeader, type TypedHeaderInfo } from "../typed-header.ts";
import { userName } from "../users.ts";

interface InspectOptions {
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
      "show what a live segment holds: a hex dump, or JSON; --watch redraws on change until Ctrl-C",
    )
    .argument("<name>", "segment name, with or without the leading slash")
    .option(
      "--offset <bytes>",
      "start at this byte (decimal or 0x hex; default: 0, or the struct of a typed segment)",
      parseCount,
    )
    .option(
      "--length <bytes>",
      "show at most this many bytes (default: to the end, or the struct's size)",
      parseCount,
    )
    .option("--json", "print JSON (the bytes as a hex string) instead of a hex dump")
    .option("-w, --watch", "redraw whenever the contents change, until Ctrl-C")
    .option("--interval <ms>", "how often --watch looks for changes", parseCount, 250)
    .addHelpText(
      "after",
      "\nThe segment is read with pread(2), never through a mapping, so a segment that another process" +
        "\ntruncates cannot crash shmkit.\n\nExample:\n  $ shmkit inspect /orders --length 64\n  $ shmkit inspect orders --watch",
    )
    .action(action("inspect", (name: string, options: InspectOptions) => inspect(name, options)));
}

async function inspect(rawName: string, options: InspectOptions): Promise<number> {
  const name = normalizeName(rawName);
  using seg = Segment.open(name, { readonly: true });
  const view = viewOf(seg, options);
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
}

function viewOf(seg: Segment, options: InspectOptions): View {
  const typed = readTypedHeader(seg);
  const whole = options.offset === undefined && options.length === undefined;
  if (typed && whole) return { offset: typed.dataOffset, length: typed.dataSize, typed };
  return { offset: options.offset ?? 0, length: options.length, typed };
}

/** Reads the asked-for range with pread on the segment's descriptor: a short read past a truncation, no SIGBUS. */
function read(seg: Segment, view: View): Uint8Array {
  const size = seg.stat().size;
  const start = Math.min(view.offset, size);
  const length = Math.min(view.length ?? size - start, size - start);
  const buffer = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(seg.fd, buffer, done, length - done, start + done);
    if (n === 0) break;
    done += n;
  }
  return buffer.subarray(0, done);
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
      `typed segment: struct ${paint("bold", typed.struct)}  fingerprint ${typed.fingerprint}  format ${typed.version}  ${state}`,
      `  the struct is ${typed.dataSize} bytes at offset ${typed.dataOffset}; give --schema FILE to decode it field by field`,
    );
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
    hex: Buffer.from(bytes).toString("hex"),
  };
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
