import type { TargetName } from "@shmkit/core/targets";
import type { RecordDef } from "../dsl/types.ts";
import { layoutOf } from "../layout/index.ts";
import type { StructLayout } from "../layout/ir.ts";
import { emitCHeader } from "./c/c-header.ts";
import { emitTypeScript } from "./ts/emit-typescript.ts";

/** Options of `generate()`. */
export interface GenerateOptions {
  /** The schema file, as banners name it (relative, forward slashes). */
  schemaPath: string;
  /** The target to lay out for; the host by default. */
  target?: TargetName;
  /** The command that regenerates the output, for the banners. */
  command?: string;
  /** Where generated TypeScript imports the runtime from. Default `@shmkit/core/runtime`. */
  coreModule?: string;
}

/** What `generate()` returns: the layouts and both generated texts. */
export interface Generated {
  /** The layouts of the schema's exported structs and unions, in export-name order. */
  readonly layouts: readonly StructLayout[];
  /** The `*.generated.ts` module text. */
  readonly typescript: string;
  /** The C header text. */
  readonly header: string;
}

/**
 * Lays out every struct and union a schema module exports and emits both the TypeScript accessors and the C
 * header for them.
 *
 * @example
 * ```ts
 * const out = generate(await import("./shared.schema.ts"), { schemaPath: "src/shared.schema.ts" });
 * await Bun.write("src/shared.generated.ts", out.typescript);
 * await Bun.write("include/shared.h", out.header);
 * ```
 */
export function generate(schema: Readonly<Record<string, unknown>>, options: GenerateOptions): Generated {
  const defs = Object.keys(schema)
    .sort()
    .map((key) => schema[key])
    .filter(isRecordDef);
  const layouts = defs.map((def) =>
    layoutOf(def, options.target === undefined ? {} : { target: options.target }),
  );
  const common = {
    schemaPath: options.schemaPath,
    ...(options.command === undefined ? {} : { command: options.command }),
  };
  return {
    layouts,
    typescript: emitTypeScript(layouts, {
      ...common,
      ...(options.coreModule === undefined ? {} : { coreModule: options.coreModule }),
    }),
    header: emitCHeader(layouts, common),
  };
}

function isRecordDef(value: unknown): value is RecordDef {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Partial<RecordDef>;
  return (v.kind === "struct" || v.kind === "union") && typeof v.name === "string" && Array.isArray(v.fields);
}
