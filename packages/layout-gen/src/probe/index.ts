/**
 * `@shmkit/layout-gen/probe`: ask a C compiler how it lays out structs, without running anything it builds, so
 * it works for cross targets. One compile per call, however many types and members are asked about.
 *
 * @example
 * ```ts
 * import { probeLayouts } from "@shmkit/layout-gen/probe";
 * const result = await probeLayouts(
 *   "struct S { char c; double d; unsigned flags : 3; };",
 *   [{ type: "struct S", fields: ["c", "d", { path: "flags", bitfield: true }] }],
 *   { compiler: "i686-linux-gnu-gcc" },
 * );
 * if (!result.ok) throw new Error(result.stderr);
 * result.types[0]; // { type: "struct S", size: 16, align: 4, fields: [{ path: "d", offset: 4, size: 8 }, …] }
 *
 * // Checking a schema against a C header (what `shmkit verify` does):
 * const layout = layoutOf(Order, { target: "i686-linux-gnu" });
 * const probed = await probeLayouts(header, [probeQueryFor(layout)], { compiler: "i686-linux-gnu-gcc" });
 * if (probed.ok) layoutProblems(layout, probed.types[0]!, "order.h"); // ["Order.qty: offset 8 in the schema, 12 in order.h"]
 * ```
 *
 * @packageDocumentation
 */
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readObject } from "./object-file.ts";
import { bitsSymbol, MAGIC, NUMBERS_SYMBOL, normaliseField, probeSource } from "./source.ts";
import type { ProbedField, ProbedType, ProbeOptions, ProbeQuery, ProbeResult } from "./types.ts";

export { layoutProblems, probeQueryFor } from "./compare.ts";
export type { ObjectFormat } from "./object-file.ts";
export { probeSource } from "./source.ts";
export type * from "./types.ts";

/** Splits `clang --target=x` into argv (no quoting: compiler command lines here have no spaces in arguments). */
export function compilerArgv(compiler: string | readonly string[] = "cc"): string[] {
  return typeof compiler === "string" ? compiler.trim().split(/\s+/) : [...compiler];
}

/**
 * Compiles `source` plus measuring declarations once (`-c`, no linking, no running) and reads each type's
 * `sizeof`/`_Alignof`, each member's `offsetof`/`sizeof`, and each bitfield's first bit and width from the
 * object file. Returns the compiler's stderr instead when it fails.
 */
export async function probeLayouts(
  source: string,
  queries: readonly ProbeQuery[],
  options: ProbeOptions = {},
): Promise<ProbeResult> {
  const { text, count } = probeSource(source, queries);
  const dir = await mkdtemp(join(tmpdir(), "shmkit-probe-"));
  try {
    const input = join(dir, "probe.c");
    const output = join(dir, "probe.o");
    await writeFile(input, text);
    const command = [
      ...compilerArgv(options.compiler),
      ...(options.flags ?? []),
      "-w",
      "-c",
      input,
      "-o",
      output,
    ];
    const timeoutMs = options.timeoutMs ?? 60_000;
    const { exitCode, killed, stderr } = await compile(command, timeoutMs);
    if (exitCode !== 0) {
      return {
        ok: false,
        command,
        exitCode: killed ? null : exitCode,
        stderr: stderr.split(input).join("probe.c"),
      };
    }
    const object = readObject(new Uint8Array(await readFile(output)));
    const raw = object.read(NUMBERS_SYMBOL, count * 8);
    if (!raw) throw new Error(`probe: ${NUMBERS_SYMBOL} not found in the object file`);
    const numbers = new BigUint64Array(raw.buffer, raw.byteOffset, count);
    if (numbers[0] !== MAGIC) throw new Error("probe: the numbers in the object file are not the probe's");
    let i = 1;
    const next = (): number => Number(numbers[i++]);
    const types = queries.map((query, q): ProbedType => {
      const size = next();
      const align = next();
      const fields = (query.fields ?? []).map(normaliseField).map((field, f): ProbedField => {
        const offset = next();
        const fieldSize = next();
        if (!field.bitfield) return { path: field.path, offset, size: fieldSize };
        const bytes = object.read(bitsSymbol(q, f), size);
        if (!bytes) throw new Error(`probe: ${bitsSymbol(q, f)} not found in the object file`);
        return { path: field.path, ...bitsOf(bytes) };
      });
      return { type: query.type, size, align, fields };
    });
    return { ok: true, command, types };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs the compiler with node:child_process (Bun, Node and Deno all have it), killed after `timeoutMs`. Resolves
 * on the process's exit, not on its pipes' end: a killed compiler may leave children holding stderr open, so
 * then it takes what stderr has after a short grace and does not wait for EOF.
 */
function compile(
  command: readonly string[],
  timeoutMs: number,
): Promise<{ exitCode: number | null; killed: boolean; stderr: string }> {
  return new Promise((resolve, reject) => {
    const [file = "cc", ...args] = command;
    const child = spawn(file, args, { stdio: ["ignore", "ignore", "pipe"], timeout: timeoutMs });
    const chunks: Buffer[] = [];
    let ended = false;
    const ends = new Promise<void>((done) => {
      child.stderr.on("data", (chunk: Buffer) => chunks.push(chunk));
      child.stderr.on("end", () => {
        ended = true;
        done();
      });
    });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      const text = () => Buffer.concat(chunks).toString("utf8");
      if (signal === null) {
        ends.then(() => resolve({ exitCode: code, killed: false, stderr: text() }));
        return;
      }
      const grace = new Promise<void>((done) => setTimeout(done, 200));
      Promise.race([ends, grace]).then(() => {
        child.stderr.destroy();
        resolve({ exitCode: null, killed: true, stderr: ended ? text() : `killed after ${timeoutMs} ms` });
      });
    });
  });
}

/** Where the set bits are (little-endian bit numbering: bit 0 is the low bit of byte 0). */
function bitsOf(bytes: Uint8Array): { offset: number; size: number; bitOffset: number; bitWidth: number } {
  let first = -1;
  let last = -1;
  for (let bit = 0; bit < bytes.length * 8; bit++) {
    if (((bytes[bit >> 3] as number) >> (bit & 7)) & 1) {
      if (first < 0) first = bit;
      last = bit;
    }
  }
  if (first < 0) return { offset: 0, size: 0, bitOffset: 0, bitWidth: 0 };
  const offset = first >> 3;
  return { offset, size: (last >> 3) - offset + 1, bitOffset: first & 7, bitWidth: last - first + 1 };
}
