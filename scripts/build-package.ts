#!/usr/bin/env bun
// Builds one package (run in its directory): `tsc -p tsconfig.build.json` compiles src/ into dist/ as ES modules
// with .d.ts files, declaration maps and source maps. tsc rewrites the `.ts` in relative import specifiers to `.js`
// in the JavaScript (rewriteRelativeImportExtensions) but not in the declarations (microsoft/TypeScript#61037), so
// a consumer's tsc under NodeNext would refuse them: this rewrites them there, and fails if any is left anywhere.
import { chmodSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const dist = "dist";
rmSync(dist, { recursive: true, force: true });
const tsc = Bun.spawnSync([join(import.meta.dir, "../node_modules/.bin/tsc"), "-p", "tsconfig.build.json"], {
  stdout: "inherit",
  stderr: "inherit",
});
if (tsc.exitCode !== 0) process.exit(tsc.exitCode ?? 1);

// `from "./x.ts"`, `import("./x.ts")`, `import "./x.ts"`: relative specifiers only; packages keep their names.
const SPECIFIER = /(\bfrom\s*["']|\bimport\s*\(\s*["']|\bimport\s+["'])(\.{1,2}\/[^"']+?)\.ts(["'])/g;
/** The lines that are code: doc comments may show a user's own `import("./x.ts")`, which stays as written. */
const code = (text: string) => text.split("\n").filter((line) => !/^\s*(\*|\/\/|\/\*)/.test(line));
const left: string[] = [];
for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" })) {
  const path = join(dist, file);
  if (file.endsWith(".d.ts")) {
    const text = readFileSync(path, "utf8");
    const fixed = text
      .split("\n")
      .map((line) => (/^\s*(\*|\/\/|\/\*)/.test(line) ? line : line.replace(SPECIFIER, "$1$2.js$3")))
      .join("\n");
    if (fixed !== text) writeFileSync(path, fixed);
  }
  if (file.endsWith(".d.ts") || file.endsWith(".js")) {
    for (const line of code(readFileSync(path, "utf8"))) {
      for (const m of line.matchAll(SPECIFIER)) left.push(`${path}: ${m[2]}.ts`);
    }
  }
}
if (left.length > 0) {
  console.error(`build: .ts specifiers left in ${dist}:\n  ${left.join("\n  ")}`);
  process.exit(1);
}

// A bin runs as a program (its shebang) when linked into node_modules/.bin: tsc writes it without the x bits.
const { bin } = JSON.parse(readFileSync("package.json", "utf8")) as { bin?: string | Record<string, string> };
for (const file of typeof bin === "string" ? [bin] : Object.values(bin ?? {})) chmodSync(file, 0o755);
