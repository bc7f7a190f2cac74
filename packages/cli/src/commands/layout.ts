import type { Command } from "commander";
import { action, EXIT } from "../action.ts";
import { layoutJson, layoutReport } from "../layout-report.ts";
import { painter, printError, printJson, println } from "../output.ts";
import { layoutAll, loadSchema } from "../schema-loader.ts";
import { targetOption, targetOrHost } from "../targets.ts";

interface LayoutOptions {
  struct?: string[];
  target?: string;
  json?: boolean;
}

/** `shmkit layout <schema.ts>`: where every byte of each struct goes on a target, pahole-style. */
export function registerLayout(program: Command): void {
  program
    .command("layout")
    .description("print the layout of a schema's structs: offsets, sizes, holes, tail padding, cache lines")
    .argument("<schema>", "a TypeScript module that exports struct()/union() definitions")
    .option("--struct <names...>", "only these structs or unions (default: every one the module exports)")
    .addOption(targetOption())
    .option(
      "--json",
      'print {"target", "structs": [{"name", "size", "align", "fingerprint", "fields": [...]}]}',
    )
    .addHelpText(
      "after",
      "\nBitfields show `offset:bit size`; in --json they add bitOffset and bitWidth." +
        "\n\nExample:\n  $ shmkit layout src/order.schema.ts --struct Order --target i686-linux-gnu",
    )
    .action(action("layout", (schema: string, options: LayoutOptions) => layout(schema, options)));
}

async function layout(schema: string, options: LayoutOptions): Promise<number> {
  const target = targetOrHost(options.target);
  const loaded = await loadSchema(schema, options.struct);
  if (!loaded.ok) {
    printError("layout", loaded.message);
    return EXIT.usage;
  }
  const laid = await layoutAll(loaded.records, target);
  if (!laid.ok) {
    printError("layout", laid.message);
    return EXIT.usage;
  }
  if (options.json) {
    printJson({ target, structs: laid.layouts.map(layoutJson) });
    return EXIT.ok;
  }
  const paint = painter();
  println(laid.layouts.map((l) => layoutReport(l, paint).join("\n")).join("\n\n"));
  return EXIT.ok;
}
