import { existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { TargetName } from "@shmkit/core/targets";
import type { RecordDef, StructLayout } from "@shmkit/layout-gen";

export type LoadedModule =
  | { readonly ok: true; readonly path: string; readonly exports: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly message: string };

/**
 * Imports a schema module with the runtime running the CLI (a dynamic `import()` of its file URL), so that it can
 * use any import a program can, resolved from the schema's own directory. Bun and Deno load TypeScript; Node
 * strips types from 22.18 and 23.6 on (see `typeScriptAdvice`). A module that does not load gives a message with
 * the place, `schema.ts:4:7: error: …`, not a stack trace of the CLI.
 */
export async function loadModule(file: string): Promise<LoadedModule> {
  const path = resolve(file);
  if (!existsSync(path)) return { ok: false, message: `${file}: no such file` };
  if (!statSync(path).isFile()) return { ok: false, message: `${file}: not a file` };
  try {
    const exports = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    return { ok: true, path, exports };
  } catch (error) {
    return { ok: false, message: describeLoadError(error, path) };
  }
}

interface BuildPosition {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly lineText?: string;
  readonly length?: number;
}

/**
 * Bun's syntax errors (BuildMessage, with `position`), resolve errors, errors thrown while the module runs, and a
 * Node that cannot load TypeScript.
 */
export function describeLoadError(error: unknown, path: string): string {
  const shown = (file: string) => relative(process.cwd(), file) || file;
  if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
    const e = error as Error & { position?: BuildPosition | null; code?: unknown };
    if (e.code === "ERR_UNKNOWN_FILE_EXTENSION" && TYPESCRIPT.test(path)) {
      return `${shown(path)}: ${typeScriptAdvice()}`;
    }
    if (e.position?.file) {
      const p = e.position;
      const lines = [`${shown(p.file)}:${p.line}:${p.column}: error: ${e.message}`];
      if (p.lineText !== undefined) {
        lines.push(
          `  ${p.lineText}`,
          `  ${" ".repeat(Math.max(0, p.column - 1))}${"^".repeat(Math.max(1, p.length ?? 1))}`,
        );
      }
      return lines.join("\n");
    }
    // `at f (/a/b.ts:4:7)` (Bun) or `at file:///a/b.ts:4:7` (Node, Deno); not `node:internal/…` frames.
    const frames = (e.stack ?? "")
      .split("\n")
      .map((line) => /(?:^|[\s(])(file:\/\/)?(\/[^()\s]+):(\d+):(\d+)\)?$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[0], m[1] ? fileURLToPath(`file://${m[2]}`) : m[2], m[3], m[4]] as const);
    // The frame in the schema itself says where to look; other frames (the DSL's own code) come after it.
    const frame = frames.find((m) => m[1] === path) ?? frames[0];
    const name = e.name && e.name !== "Error" ? `${e.name}: ` : "";
    if (frame) return `${shown(frame[1] ?? "")}:${frame[2]}:${frame[3]}: ${name}${e.message}`;
    // Node and Deno put a syntax error's place on the stack's first line, `file:///a/b.ts:3`, with no frame.
    const first = /^(file:\/\/\S+):(\d+)$/.exec((e.stack ?? "").split("\n")[0] ?? "");
    if (first?.[1] && fileURLToPath(first[1]) === path)
      return `${shown(path)}:${first[2]}: ${name}${e.message}`;
    return `${shown(path)}: ${name}${e.message}`;
  }
  return `${shown(path)}: ${String(error)}`;
}

const TYPESCRIPT = /\.[cm]?tsx?$/;

/** What to do on a Node that refuses a `.ts` schema: which Node loads it, or another runtime, a loader, or .mjs. */
export function typeScriptAdvice(version = process.versions.node ?? "?"): string {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  const strips = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
  const canStrip = strips || major === 23 || (major === 22 && minor >= 6);
  const fix = strips
    ? "run node without --no-experimental-strip-types"
    : canStrip
      ? "set NODE_OPTIONS=--experimental-strip-types, or use Node 22.18 or later"
      : "use Node 22.18 or later (or Node 26, which the segment commands need)";
  return (
    `Node ${version} cannot load a TypeScript schema: ${fix}; or run the CLI with Bun (bunx --bun shmkit …) or ` +
    `Deno (deno run -A …); or register a TypeScript loader (NODE_OPTIONS="--import tsx"); or write the schema ` +
    "as a .mjs or .js module"
  );
}

/** A struct or union definition exported by a schema module. */
export interface ExportedRecord {
  readonly exportName: string;
  readonly def: RecordDef;
}

/** True for what `struct()`/`union()` return (frozen plain data, so recognised by shape). */
export function isRecordDef(value: unknown): value is RecordDef {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<RecordDef>;
  return (v.kind === "struct" || v.kind === "union") && typeof v.name === "string" && Array.isArray(v.fields);
}

export type LoadedSchema =
  | { readonly ok: true; readonly path: string; readonly records: readonly ExportedRecord[] }
  | { readonly ok: false; readonly message: string };

/**
 * Loads a schema module and picks its exported structs and unions: all of them (sorted by name, so output is
 * deterministic), or those named in `only` (by struct name or export name, in that order).
 */
export async function loadSchema(file: string, only?: readonly string[]): Promise<LoadedSchema> {
  const loaded = await loadModule(file);
  if (!loaded.ok) return loaded;
  const records: ExportedRecord[] = [];
  const seen = new Set<RecordDef>();
  for (const [exportName, value] of Object.entries(loaded.exports).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    if (!isRecordDef(value) || seen.has(value)) continue;
    seen.add(value);
    records.push({ exportName, def: value });
  }
  if (records.length === 0) {
    return {
      ok: false,
      message: `${file}: exports no struct or union; export the result of struct()/union() from @shmkit/layout-gen`,
    };
  }
  if (!only || only.length === 0) return { ok: true, path: loaded.path, records };
  const picked: ExportedRecord[] = [];
  for (const name of only) {
    const found = records.find((r) => r.def.name === name) ?? records.find((r) => r.exportName === name);
    if (!found) {
      const known = records.map((r) => r.def.name).join(", ");
      return { ok: false, message: `${name}: no such struct or union in ${file} (it exports: ${known})` };
    }
    if (!picked.includes(found)) picked.push(found);
  }
  return { ok: true, path: loaded.path, records: picked };
}

export type Laid =
  | { readonly ok: true; readonly layouts: readonly StructLayout[] }
  | { readonly ok: false; readonly message: string };

/** `layoutOf` for each record on `target`; a SchemaError (say, an atomic that is not lock-free there) is a message. */
export async function layoutAll(records: readonly ExportedRecord[], target: TargetName): Promise<Laid> {
  // Loaded on first use: the emitters pull in ts-morph, which `shmkit ls` and `rm` have no use for.
  const { layoutOf, SchemaError } = await import("@shmkit/layout-gen");
  const layouts: StructLayout[] = [];
  for (const record of records) {
    try {
      layouts.push(layoutOf(record.def, { target }));
    } catch (error) {
      if (error instanceof SchemaError) return { ok: false, message: `${error.message} (target ${target})` };
      throw error;
    }
  }
  return { ok: true, layouts };
}
