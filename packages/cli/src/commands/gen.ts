import { createRequire } from "node:module";
import { basename, dirname, join, resolve } from "node:path";
import type { Command } from "commander";
import { action, EXIT } from "../action.ts";
import { printError } from "../output.ts";
import { layoutAll, loadSchema } from "../schema-loader.ts";
import { targetOption, targetOrHost } from "../targets.ts";
import { shownPath, writeOutput } from "../write-output.ts";

interface GenOptions {
  out?: string;
  target?: string;
  check?: boolean;
}

/** `shmkit gen <schema.ts>`: the `*.generated.ts` accessor module for a schema, deterministic for CI. */
export function registerGen(program: Command): void {
  program
    .command("gen")
    .description("write the TypeScript accessors (<name>.generated.ts) for a schema's structs")
    .argument("<schema>", "a TypeScript module that exports struct()/union() definitions")
    .option("--out <dir>", "the directory to write to (default: the schema's)")
    .addOption(targetOption())
    .option("--check", "write nothing; exit 1 if the file is missing or differs (for CI)")
    .addHelpText(
      "after",
      "\nThe output depends only on the schema, the target and these arguments, so `git diff --exit-code` after" +
        "\na re-run is a valid CI check. order.schema.ts and order.ts both give order.generated.ts." +
        "\n\nExample:\n  $ shmkit gen src/order.schema.ts\n  $ shmkit gen src/order.schema.ts --out src/generated --check",
    )
    .action(action("gen", (schema: string, options: GenOptions) => gen(schema, options)));
}

async function gen(schema: string, options: GenOptions): Promise<number> {
  const target = targetOrHost(options.target);
  const loaded = await loadSchema(schema);
  if (!loaded.ok) {
    printError("gen", loaded.message);
    return EXIT.usage;
  }
  const laid = await layoutAll(loaded.records, target);
  if (!laid.ok) {
    printError("gen", laid.message);
    return EXIT.usage;
  }
  const schemaPath = shownPath(schema);
  const name = basename(schemaPath).replace(/(\.schema)?\.[cm]?tsx?$/, "");
  const out = join(options.out ?? dirname(schemaPath), `${name}.generated.ts`);
  const command = ["shmkit gen", schemaPath, ...flags(options)].join(" ");
  const [{ emitTypeScript }, { SchemaError }] = await Promise.all([
    import("@shmkit/layout-gen/emit"),
    import("@shmkit/layout-gen"),
  ]);
  let text: string;
  try {
    text = emitTypeScript(laid.layouts, { schemaPath, command });
  } catch (error) {
    // A schema the TypeScript emitter cannot express (a field named constructor, one enum name defined twice).
    if (!(error instanceof SchemaError)) throw error;
    printError("gen", error.message);
    return EXIT.usage;
  }
  const written = writeOutput(out, text, options.check ?? false);
  warnIfNoRuntime(dirname(out));
  return written ? EXIT.ok : EXIT.problem;
}

/**
 * The generated module imports `@shmkit/core/runtime`. Where that does not resolve from its directory (the app
 * installed only the CLI and layout-gen, and an isolated linker hides their dependencies), say so now rather than
 * leave the user a module-not-found at run time. A warning: the output is still right.
 */
function warnIfNoRuntime(dir: string): void {
  try {
    // As a module in `dir` would resolve it; the export's "default" condition answers for import and require.
    createRequire(join(resolve(dir), "_.js")).resolve("@shmkit/core/runtime");
  } catch {
    process.stderr.write(
      `shmkit gen: warning: @shmkit/core does not resolve from ${shownPath(dir)}, and the generated code imports @shmkit/core/runtime; add it to your app's dependencies (bun add @shmkit/core)\n`,
    );
  }
}

/** The flags that shape the output, for the banner's regenerate command. */
export function flags(options: { out?: string; target?: string }): string[] {
  return [
    ...(options.out ? ["--out", shownPath(options.out)] : []),
    ...(options.target ? ["--target", options.target] : []),
  ];
}
