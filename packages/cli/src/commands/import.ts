import type { Command } from "commander";
import { action, EXIT } from "../action.ts";
import { HeaderDeclarations } from "../clang/declarations.ts";
import type { CRecord } from "../clang/model.ts";
import { clangAst } from "../clang/run-clang.ts";
import { schemaSource } from "../clang/to-schema.ts";
import { printError } from "../output.ts";
import { targetOption, targetOrHost } from "../targets.ts";

interface ImportOptions {
  struct?: string[];
  target?: string;
  clang?: string;
  include?: string[];
}

/** `shmkit import FILE.h`: a schema for C structs, read with clang's real front end, never a hand-written parser. */
export function registerImport(program: Command): void {
  program
    .command("import")
    .description("print a schema (the shmkit DSL) for the structs and unions of a C header, read with clang")
    .argument("<header>", "the C header")
    .option(
      "--struct <names...>",
      "the structs or unions to import, by typedef or tag (default: all of the header's)",
    )
    .addOption(targetOption())
    .option("--clang <command>", "the clang to parse with", "clang")
    .option("-I, --include <dirs...>", "more directories to search for #include files")
    .addHelpText(
      "after",
      "\nNested structs, unions and enums that the chosen ones use are imported too. Pointers are refused (store an" +
        "\noffset instead). Check the result with `shmkit verify <schema> --header <header>`." +
        "\n\nExample:\n  $ shmkit import order.h --struct Order > order.schema.ts",
    )
    .action(action("import", (header: string, options: ImportOptions) => importHeader(header, options)));
}

async function importHeader(header: string, options: ImportOptions): Promise<number> {
  const target = targetOrHost(options.target);
  const ast = await clangAst(header, {
    clang: options.clang ?? "clang",
    target,
    ...(options.include ? { includeDirs: options.include } : {}),
  });
  if (!ast.ok) {
    printError("import", ast.message);
    return EXIT.usage;
  }
  const decls = new HeaderDeclarations(ast.ast);
  const records: CRecord[] = [];
  let failed = false;
  if (options.struct) {
    for (const name of options.struct) {
      const ref = decls.find(name);
      if (!ref) {
        const known = decls.records.map((r) => r.name).join(", ") || "none";
        printError("import", `${name}: no such struct or union in ${header} (it defines: ${known})`);
        return EXIT.usage;
      }
      const record = decls.record(ref);
      if (record.ok) records.push(record.value);
      else {
        for (const problem of record.problems) printError("import", problem);
        failed = true;
      }
    }
    if (failed) return EXIT.problem;
  } else {
    for (const ref of decls.records) {
      const record = decls.record(ref);
      if (record.ok) records.push(record.value);
      else printError("import", `skipped ${ref.name}: ${record.problems.join("; ")}`);
    }
    if (records.length === 0) {
      printError("import", `${header} defines no struct or union that a schema can hold`);
      return EXIT.problem;
    }
  }
  process.stdout.write(schemaSource(records, { header, target }));
  return EXIT.ok;
}
