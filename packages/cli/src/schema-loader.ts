import { existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import type { TargetName } from "@shmkit/core/targets";
import type { RecordDef, StructLayout } from "@shmkit/layout-gen";

export type LoadedModule =
  | { readonly ok: true; readonly path: string; readonly exports: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly message: string };

/**
 * Imports a schema module with Bun (a dynamic `import()` of its absolute path), so that it can use any import a
 * program can. A module that does not load gives a message with the place, `schema.ts:4:7: error: …`, not a stack
 * trace of the CLI.
 */
export async function loadModule(file: string): Promise<LoadedModule> {
  const path = resolve(file);
  if (!existsSync(path)) return { ok: false, message: `${file}: no such file` };
  if (!statSync(path).isFile()) return { ok: false, message: `${file}: not a file` };
  try {
    const exports = (await import(path)) as Record<string, unknown>;
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

/** Bun's syntax errors (BuildMessage, with `position`), resolve errors, and errors thrown while the module runs. */
export function describeLoadError(error: unknown, path: string): string {
  const shown = (file: string) => relative(process.cwd(), file) || file;
  if (error instanceof Error || (typeof error === "object" && error !== null && "message" in error)) {
    const e = error as Error & { position?: BuildPosition | null };
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
    const frames = (e.stack ?? "")
      .split("\n")
      .map((line) => /\(?(\/[^()\s]+):(\d+):(\d+)\)?$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null);
    // The frame in the schema itself says where to look; other frames (the DSL's own code) come after it.
    const frame = frames.find((m) => m[1] === path) ?? frames[0];
    const name = e.name && e.name !== "Error" ? `${e.name}: ` : "";
    if (frame) return `${shown(frame[1] ?? "")}:${frame[2]}:${frame[3]}: ${name}${e.message}`;
    return `${shown(path)}: ${name}${e.message}`;
  }
  return `${shown(path)}: ${String(error)}`;
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
