import { basename, dirname, resolve } from "node:path";
import type { StructLayout } from "@shmkit/layout-gen";
import { compilerArgv, probeLayouts } from "@shmkit/layout-gen/probe";
import type { Command } from "commander";
import { action, EXIT } from "../action.ts";
import { HeaderDeclarations } from "../clang/declarations.ts";
import { clangAst } from "../clang/run-clang.ts";
import { painter, printError, printJson, println } from "../output.ts";
import { layoutAll, loadSchema } from "../schema-loader.ts";
import { which } from "../system/which.ts";
import { defaultCompiler, targetOption, targetOrHost } from "../targets.ts";
import { compare, type Problem, planStruct, type StructPlan } from "../verify/plan.ts";

interface VerifyOptions {
  header: string;
  struct?: string[];
  target?: string;
  cc?: string;
  clang?: string;
  include?: string[];
  json?: boolean;
}

/** `shmkit verify <schema.ts> --header FILE.h`: the schema and the C compiler agree on every byte, or a list of why not. */
export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description(
      "check a schema against a C header: struct sizes and alignments, member offsets and bit positions",
    )
    .argument("<schema>", "a TypeScript module that exports struct()/union() definitions")
    .requiredOption("--header <file>", "the C header that declares the same structs")
    .option("--struct <names...>", "only these structs or unions (default: every one the schema exports)")
    .addOption(targetOption())
    .option(
      "--cc <command>",
      "the C compiler for the target (default: cc, or the Debian cross gcc for the target)",
    )
    .option("--clang <command>", "the clang that reads the header's member lists", "clang")
    .option("-I, --include <dirs...>", "more directories to search for #include files")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nAll structs are measured by one compile-only call of the compiler (nothing is run), so cross targets work" +
        "\nwith a cross compiler alone. Exit status: 0 all agree, 1 problems found (one line each), 2 a usage or" +
        "\ncompiler error.\n\nExample:\n  $ shmkit verify src/order.schema.ts --header include/order.h --target aarch64-linux-gnu",
    )
    .action(action("verify", (schema: string, options: VerifyOptions) => verify(schema, options)));
}

async function verify(schema: string, options: VerifyOptions): Promise<number> {
  const target = targetOrHost(options.target);
  const compiler = options.cc ?? defaultCompiler(target);
  if (compiler === undefined) {
    printError(
      "verify",
      `no packaged C compiler for ${target} is known; name one with --cc, e.g. --cc "clang --target=${target} --sysroot=DIR"`,
    );
    return EXIT.usage;
  }
  const headerName = basename(options.header);
  const loaded = await loadSchema(schema, options.struct);
  if (!loaded.ok) {
    printError("verify", loaded.message);
    return EXIT.usage;
  }
  const laid = await layoutAll(loaded.records, target);
  if (!laid.ok) {
    printError("verify", laid.message);
    return EXIT.usage;
  }
  const compilerCommand = compilerArgv(compiler)[0] ?? "cc";
  if (!which(compilerCommand)) {
    printError(
      "verify",
      `${compilerCommand} not found: install the compiler for ${target} with scripts/install-toolchains.sh, or name one with --cc`,
    );
    return EXIT.usage;
  }
  const ast = await clangAst(options.header, {
    clang: options.clang ?? "clang",
    target,
    ...(options.include ? { includeDirs: options.include } : {}),
  });
  if (!ast.ok) {
    printError("verify", ast.message);
    return EXIT.usage;
  }
  const decls = new HeaderDeclarations(ast.ast, { lenient: true });

  const problems: Problem[] = [];
  const plans: StructPlan[] = [];
  for (const layout of laid.layouts) {
    const plan = planFor(layout, decls, headerName, problems);
    if (plan) plans.push(plan);
  }
  const includes = [dirname(resolve(options.header)), ...(options.include ?? [])].flatMap((d) => ["-I", d]);
  if (plans.length > 0) {
    const probed = await probeLayouts(
      // JSON string escapes are C's for the quote and the backslash, the two that matter in a path.
      `#include ${JSON.stringify(resolve(options.header))}`,
      plans.map((p) => p.query),
      { compiler, flags: includes },
    );
    if (!probed.ok) {
      printError("verify", `${probed.command.join(" ")} failed (exit ${probed.exitCode ?? "killed"}):`);
      process.stderr.write(`${probed.stderr.trimEnd()}\n`);
      return EXIT.usage;
    }
    for (const [i, plan] of plans.entries()) {
      const measured = probed.types[i];
      if (measured) problems.push(...compare(plan, measured));
    }
  }
  const fields = plans.reduce((n, p) => n + p.checks.length, 0);
  if (options.json) {
    printJson({
      ok: problems.length === 0,
      target,
      compiler,
      header: options.header,
      structs: laid.layouts.map((l) => l.name),
      members: fields,
      problems,
    });
    return problems.length === 0 ? EXIT.ok : EXIT.problem;
  }
  const paint = painter();
  for (const problem of problems) println(problem.message);
  const summary = `${laid.layouts.length} struct${laid.layouts.length === 1 ? "" : "s"}, ${fields} member${fields === 1 ? "" : "s"} checked against ${headerName} (${target}, ${compiler})`;
  if (problems.length === 0) {
    println(`${paint("green", "ok")}: ${summary}`);
    return EXIT.ok;
  }
  process.stderr.write(
    `${paint("red", `${problems.length} problem${problems.length === 1 ? "" : "s"}`)}: ${summary}\n`,
  );
  return EXIT.problem;
}

function planFor(
  layout: StructLayout,
  decls: HeaderDeclarations,
  headerName: string,
  problems: Problem[],
): StructPlan | undefined {
  const ref = decls.find(layout.name);
  if (!ref) {
    problems.push({
      path: layout.name,
      kind: "missing-struct",
      schema: layout.kind,
      header: null,
      where: headerName,
      message: `${layout.name}: in schema, not in ${headerName}`,
    });
    return undefined;
  }
  const record = decls.record(ref);
  if (!record.ok) {
    // The header's struct holds something a schema cannot (a pointer, an anonymous member): say what and where.
    for (const message of record.problems) {
      problems.push({
        path: layout.name,
        kind: "kind",
        schema: null,
        header: null,
        where: headerName,
        message,
      });
    }
    return undefined;
  }
  return planStruct(layout, record.value);
}
