// The packages as a user gets them: built, packed with the packer `bun publish` uses (`bun pm pack`), installed
// from the tarballs into a project outside the workspace, type-checked under three tsconfigs with skipLibCheck off,
// run (two processes: a typed segment with a mutex, a channel, waitAsync), bundled and compiled, and `shmkit gen`
// from the installed CLI on Bun, `npx shmkit` on Node 26 and `deno run -A npm:@shmkit/cli/shmkit` on Deno.
// publint and arethetypeswrong judge every tarball.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deno2, node20, node26 } from "../../../packages/core/test/runtimes.ts";

const ROOT = join(import.meta.dir, "../../..");
const CORE_PACKAGE = (await Bun.file(join(ROOT, "packages/core/package.json")).json()) as Record<
  string,
  unknown
>;
const PACKAGES = ["core", "layout-gen", "cli"] as const;
const BIN = join(ROOT, "node_modules/.bin");
const TOOLS = join(import.meta.dir, "../node_modules/.bin");
const TYPES_BUN = (await Bun.file(join(ROOT, "package.json")).json()).devDependencies["@types/bun"] as string;

interface Run {
  code: number | null;
  out: string;
}

/** Runs a command to completion (killed after `timeoutMs`), stdout and stderr together. */
async function sh(
  cmd: string[],
  cwd: string,
  timeoutMs = 120_000,
  env: Record<string, string> = {},
): Promise<Run> {
  const proc = Bun.spawn(cmd, {
    cwd,
    stdout: "pipe",
    stderr: "pipe",
    timeout: timeoutMs,
    killSignal: "SIGKILL",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...env },
  });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  await proc.exited;
  return { code: proc.exitCode, out: out + err };
}

/** Fails with the command's output, so a broken step says why. */
function ok(r: Run, what: string): string {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.out}`);
  return r.out;
}

let work = "";
let app = "";
const tarballs = new Map<string, string>();

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "shmkit-install-"));
  const packs = join(work, "packs");
  for (const name of PACKAGES) {
    const dir = join(ROOT, "packages", name);
    ok(await sh(["bun", "run", "build"], dir), `build of @shmkit/${name}`);
    ok(
      await sh(["bun", "pm", "pack", "--destination", packs, "--quiet"], dir),
      `bun pm pack of @shmkit/${name}`,
    );
  }
  for (const file of readdirSync(packs)) {
    const name = PACKAGES.find((n) => file.startsWith(`shmkit-${n}-`));
    if (name) tarballs.set(name, join(packs, file));
  }
  app = join(work, "app");
  cpSync(join(import.meta.dir, "../consumer"), app, { recursive: true });
  // The tarballs depend on each other by version; overrides make every such dependency the local tarball.
  const local = Object.fromEntries(PACKAGES.map((n) => [`@shmkit/${n}`, `file:${tarballs.get(n)}`]));
  const pkg = await Bun.file(join(app, "package.json")).json();
  pkg.dependencies = {
    "@shmkit/core": local["@shmkit/core"],
    "@shmkit/layout-gen": local["@shmkit/layout-gen"],
  };
  pkg.devDependencies = { "@shmkit/cli": local["@shmkit/cli"], "@types/bun": TYPES_BUN };
  pkg.overrides = local;
  await Bun.write(join(app, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
  ok(await sh(["bun", "install"], app, 300_000), "bun install of the tarballs");
  // Bun's own starting point: the tsconfig.json `bun init` writes today, which tsconfig.bun.json extends.
  const init = join(work, "bun-init");
  mkdirSync(init);
  ok(await sh(["bun", "init", "-y"], init, 120_000), "bun init");
  cpSync(join(init, "tsconfig.json"), join(app, "tsconfig.bun-init.json"));
}, 600_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed packages, installed in a project of their own", () => {
  test("each tarball holds dist with declarations, the README, LICENSE and no test files", async () => {
    expect([...tarballs.keys()].sort()).toEqual([...PACKAGES].sort());
    for (const [name, tgz] of tarballs) {
      const files = ok(await sh(["tar", "tzf", tgz], work), "tar").split("\n");
      expect(files).toContain("package/LICENSE");
      expect(files).toContain("package/README.md");
      expect(files).toContain("package/dist/index.js");
      expect(files).toContain("package/dist/index.d.ts");
      expect(files).toContain("package/dist/index.d.ts.map");
      expect(files.filter((f) => f.includes("/test/") || f.endsWith(".test.ts"))).toEqual([]);
      // workspace:* must have become a version.
      const manifest = ok(await sh(["tar", "xzf", tgz, "-O", "package/package.json"], work), "tar");
      expect(manifest).not.toContain("workspace:");
      expect(name.length).toBeGreaterThan(0);
    }
  });

  test("shmkit gen from the installed CLI writes accessors that import only @shmkit/core/runtime", async () => {
    // --bun: the bin starts the node on PATH (the machine's Node 20, which loads no TypeScript) unless told.
    ok(await sh(["bun", "x", "--bun", "shmkit", "gen", "shared.schema.ts", "--out", "."], app), "shmkit gen");
    const generated = await Bun.file(join(app, "shared.generated.ts")).text();
    const imports = [...generated.matchAll(/from "([^"]+)"/g)].map((m) => m[1]);
    expect([...new Set(imports)]).toEqual(["@shmkit/core/runtime"]);
  }, 120_000);

  for (const config of ["tsconfig.bun.json", "tsconfig.nodenext.json", "tsconfig.dom.json"]) {
    test(`the app typechecks with ${config} (skipLibCheck off)`, async () => {
      const r = await sh([join(BIN, "tsc"), "-p", config], app);
      expect(r.out).toBe("");
      expect(r.code).toBe(0);
    }, 120_000);
  }

  const name = () => `/shmkit-test-install-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const expected = "0 1000 install-check child-500\n";

  test("the app runs from source: two processes, a typed segment with a mutex, a channel, waitAsync", async () => {
    const r = await sh(["bun", "main.ts", name()], app, 60_000);
    expect(r.out).toBe(expected);
    expect(r.code).toBe(0);
  }, 60_000);

  test("bun build --target bun of the app runs", async () => {
    ok(
      await sh(["bun", "build", "--target", "bun", "main.ts", "--outdir", "out"], app),
      "bun build --target bun",
    );
    const r = await sh(["bun", "out/main.js", name()], app, 60_000);
    expect(r.out).toBe(expected);
    expect(r.code).toBe(0);
  }, 120_000);

  test("bun build --compile of the app runs", async () => {
    ok(
      await sh(["bun", "build", "--compile", "main.ts", "--outfile", "main-compiled"], app),
      "bun build --compile",
    );
    const r = await sh([join(app, "main-compiled"), name()], app, 60_000);
    expect(r.out).toBe(expected);
    expect(r.code).toBe(0);
  }, 180_000);

  // Node 26 reaches libc through node:ffi, Node 20 through koffi (an optional peer of core, installed beside it as
  // a Node 20 user would, at the version core is tested with); scripts/install-runtimes.sh brings both Nodes.
  const node = node26();
  const KOFFI = (CORE_PACKAGE.devDependencies as Record<string, string>).koffi as string;
  const tours = [
    {
      label: "Node 26",
      found: node,
      tour: "tour.mjs",
      flags: ["--no-warnings=ExperimentalWarning"],
      with: [],
    },
    {
      label: "Node 20 (koffi)",
      found: node20(),
      tour: "tour-node20.mjs",
      flags: [],
      with: [`koffi@${KOFFI}`],
    },
  ];
  for (const t of tours) {
    test.skipIf(!t.found.path)(
      `npm install of the core tarball${t.with.length ? ` and ${t.with.join(", ")}` : ""} into a plain Node project runs the README tour with ${t.label}${t.found.path ? "" : ` (skipped: ${t.found.reason})`}`,
      async () => {
        const tour = join(work, `node-tour-${t.tour}`);
        cpSync(join(import.meta.dir, "../node-tour"), tour, { recursive: true });
        // npm, as a Node user installs; @shmkit/core has no dependencies, so only koffi comes from the registry.
        ok(
          await sh(
            ["npm", "install", "--no-audit", "--no-fund", tarballs.get("core") as string, ...t.with],
            tour,
            120_000,
          ),
          "npm install",
        );
        const segment = name();
        const r = await sh([t.found.path as string, ...t.flags, t.tour, segment], tour, 60_000);
        expect(r.out).toBe(
          [
            "read hello 1",
            `again true EEXIST 17 shm_open(${segment}): EEXIST (File exists)`,
            "listed 4096 600",
            "exists false",
            "child 0 42",
            "",
          ].join("\n"),
        );
        expect(r.code).toBe(0);
      },
      180_000,
    );
  }

  const deno = deno2();
  test.skipIf(!node.path || !deno.path)(
    `the installed CLI runs as npx shmkit on Node 26 and with deno run -A npm:@shmkit/cli/shmkit${node.path && deno.path ? "" : ` (skipped: ${node.reason ?? deno.reason})`}`,
    async () => {
      const cli = (await Bun.file(join(ROOT, "packages/cli/package.json")).json()) as { version: string };
      const layout = ["layout", "shared.schema.ts", "--json"];
      const bun = ok(await sh(["bun", "x", "--bun", "shmkit", ...layout], app), "bunx --bun shmkit layout");
      expect(bun).toStartWith("{");
      // npx as a Node 26 user runs it: the node first on PATH runs npm and the bin; --no: never the registry.
      const path = { PATH: `${join(node.path as string, "..")}:${process.env.PATH ?? ""}` };
      const npx = (args: string[]) => sh(["npx", "--no", "--", "shmkit", ...args], app, 120_000, path);
      expect(ok(await npx(["--version"]), "npx shmkit --version")).toBe(`${cli.version}\n`);
      const onNode = await npx(layout);
      expect(onNode.out).toBe(bun); // stdout and stderr: the layout, and no warning (layout touches no FFI)
      expect(onNode.code).toBe(0);
      const onDeno = await sh(
        [deno.path as string, "run", "-A", "npm:@shmkit/cli/shmkit", ...layout],
        app,
        120_000,
        {
          DENO_NO_PROMPT: "1",
        },
      );
      expect(onDeno.out).toBe(bun);
      expect(onDeno.code).toBe(0);
    },
    180_000,
  );

  test("changesets release the three packages together, at one version, a minor step while below 1.0", async () => {
    const out = join(work, "changeset-status.json");
    ok(
      await sh(["bun", "--bun", join(BIN, "changeset"), "status", `--output=${out}`], ROOT),
      "changeset status",
    );
    const { releases } = (await Bun.file(out).json()) as {
      releases: { name: string; oldVersion: string; newVersion: string }[];
    };
    const ours = releases.filter((r) => r.name.startsWith("@shmkit/"));
    if (ours.length === 0) return; // nothing pending: the versions in package.json are the release
    expect(ours.map((r) => r.name).sort()).toEqual(PACKAGES.map((n) => `@shmkit/${n}`).sort());
    expect(new Set(ours.map((r) => r.newVersion)).size).toBe(1);
    for (const r of ours) {
      if (r.oldVersion.startsWith("0.")) expect(r.newVersion.startsWith("0.")).toBe(true);
    }
  }, 60_000);

  for (const pkg of PACKAGES) {
    test(`publint and arethetypeswrong pass on @shmkit/${pkg}`, async () => {
      const tgz = tarballs.get(pkg) as string;
      const lint = await sh([join(TOOLS, "publint"), "--strict", tgz], work);
      expect(lint.out).not.toMatch(/error|warning/i);
      expect(lint.code).toBe(0);
      // ESM only (no require), so the node10 and CommonJS resolutions do not apply.
      const attw = await sh(
        [join(TOOLS, "attw"), tgz, "--profile", "esm-only", "--format", "table-flipped"],
        work,
      );
      if (attw.code !== 0) throw new Error(attw.out);
    }, 120_000);
  }
});
