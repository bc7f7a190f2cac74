#!/usr/bin/env bun
// `bun run release`: publishes the packages whose version is not on the registry yet. The versions and
// CHANGELOG.md files come first from `bun run changeset version` (committed). Each package is built, then
// published with `bun publish`, which packs exactly as `bun pm pack` does (the install-check test packs that way):
// it turns `workspace:*` into the version, which `npm publish` (and so `changeset publish`) would ship as is.
// `--dry-run` packs and reports without publishing.
import { join } from "node:path";

const dryRun = process.argv.includes("--dry-run");
const root = join(import.meta.dir, "..");
// In dependency order: the CLI depends on layout-gen, which depends on core.
for (const name of ["core", "layout-gen", "cli"]) {
  const dir = join(root, "packages", name);
  const { name: pkg, version } = (await Bun.file(join(dir, "package.json")).json()) as {
    name: string;
    version: string;
  };
  const seen = Bun.spawnSync(["npm", "view", `${pkg}@${version}`, "version"], { stderr: "ignore" });
  if (seen.exitCode === 0 && seen.stdout.toString().trim() === version) {
    console.log(`release: ${pkg}@${version} is already published`);
    continue;
  }
  for (const cmd of [
    ["bun", "run", "build"],
    ["bun", "publish", ...(dryRun ? ["--dry-run"] : [])],
  ]) {
    const r = Bun.spawnSync(cmd, { cwd: dir, stdout: "inherit", stderr: "inherit" });
    if (r.exitCode !== 0) process.exit(r.exitCode ?? 1);
  }
  console.log(`release: ${dryRun ? "would publish" : "published"} ${pkg}@${version}`);
}
