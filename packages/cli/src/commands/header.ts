import type { Command } from "commander";
import { action, EXIT } from "../action.ts";
import { printError } from "../output.ts";
import { layoutAll, loadSchema } from "../schema-loader.ts";
import { targetOption, targetOrHost } from "../targets.ts";
import { shownPath, writeOutput } from "../write-output.ts";
import { flags } from "./gen.ts";

interface HeaderOptions {
  out?: string;
  target?: string;
  check?: boolean;
}

/** `shmkit header <schema.ts>`: the C header with the same structs, checked by `_Static_assert`s. */
export function registerHeader(program: Command): void {
  program
    .command("header")
    .description("write the C header for a schema's structs, with a _Static_assert for every size and offset")
    .argument("<schema>", "a TypeScript module that exports struct()/union() definitions")
    .option("--out <file>", "the file to write (default: print it)")
    .addOption(targetOption())
    .option("--check", "with --out: write nothing; exit 1 if the file is missing or differs (for CI)")
    .addHelpText(
      "after",
      "\nDeterministic, like gen. The header includes the typed-segment header struct, so C code can open segments" +
        "\nthat TypeScript created.\n\nExample:\n  $ shmkit header src/order.schema.ts --out include/order.h",
    )
    .action(action("header", (schema: string, options: HeaderOptions) => header(schema, options)));
}

async function header(schema: string, options: HeaderOptions): Promise<number> {
  if (options.check && !options.out) {
    printError("header", "--check needs --out FILE to compare with");
    return EXIT.usage;
  }
  const target = targetOrHost(options.target);
  const loaded = await loadSchema(schema);
  if (!loaded.ok) {
    printError("header", loaded.message);
    return EXIT.usage;
  }
  const laid = await layoutAll(loaded.records, target);
  if (!laid.ok) {
    printError("header", laid.message);
    return EXIT.usage;
  }
  const schemaPath = shownPath(schema);
  const command = ["shmkit header", schemaPath, ...flags(options)].join(" ");
  const [{ emitCHeader }, { SchemaError }] = await Promise.all([
    import("@shmkit/layout-gen/emit"),
    import("@shmkit/layout-gen"),
  ]);
  let text: string;
  try {
    text = emitCHeader(laid.layouts, { schemaPath, command });
  } catch (error) {
    // A schema C cannot hold in one header (one enum or struct name with two definitions).
    if (!(error instanceof SchemaError)) throw error;
    printError("header", error.message);
    return EXIT.usage;
  }
  if (!options.out) {
    process.stdout.write(text);
    return EXIT.ok;
  }
  return writeOutput(options.out, text, options.check ?? false) ? EXIT.ok : EXIT.problem;
}
