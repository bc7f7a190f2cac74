// The CLI as Node and Deno users run it: the built dist/bin.js, on Node 26 through its own launcher (the node
// first on PATH, as `npx shmkit` finds it) and on Deno with `deno run -A`. Every command's output is compared with
// the same command on Bun (the source, as the other test files run it), byte for byte, on real segments made by
// Bun processes. Also: the launcher on a machine with Bun and no node, what Node 20 (koffi, no TypeScript) does,
// and what a Deno without permissions says.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { type FfiBackendName, Segment } from "@shmkit/core";
import { deno2, node20, node26 } from "../../core/test/runtimes.ts";
import { VERSION } from "../src/index.ts";
import { which } from "../src/system/which.ts";
import { FIXTURES, type Result, run, shmkit, uniqueName } from "./helpers.ts";

const ROOT = join(import.meta.dir, "../../..");
const DIST_BIN = join(import.meta.dir, "../dist/bin.js");
const SCHEMAS = `${FIXTURES}/schemas`;
const HAS_CLANG = which("clang") !== undefined && which("cc") !== undefined;

/** Node 26's warning for node:ffi (documented in README.md; shmkit does not hide it), which stderr may carry. */
const FFI_WARNING =
  /^\(node:\d+\) ExperimentalWarning: FFI is an experimental feature[^\n]*\n\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)\n/gm;

interface Runtime {
  readonly label: string;
  readonly reason: string | undefined;
  readonly name: "node" | "deno";
  readonly ffi: FfiBackendName;
  argv(args: readonly string[]): string[];
  readonly env: Record<string, string>;
}

const node = node26();
const deno = deno2();
const RUNTIMES: Runtime[] = [
  {
    label: "Node 26",
    reason: node.reason,
    name: "node",
    ffi: "node:ffi",
    // The bin run as a program: its first lines start the node first on PATH.
    argv: (args) => [DIST_BIN, ...args],
    env: { PATH: `${dirname(node.path ?? "/")}:${process.env.PATH ?? ""}` },
  },
  {
    label: "Deno 2",
    reason: deno.reason,
    name: "deno",
    ffi: "Deno.dlopen",
    argv: (args) => [deno.path ?? "deno", "run", "-A", DIST_BIN, ...args],
    env: { DENO_NO_PROMPT: "1" },
  },
];

/** Runs a command to completion in `cwd` (killed after a time-out), without colour. */
async function spawn(
  argv: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Result> {
  const child = Bun.spawn([...argv], {
    cwd,
    stdout: "pipe",
    stderr: "pipe",
    stdin: "ignore",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: undefined, ...env },
    timeout: 60_000,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { code: await child.exited, stdout, stderr };
}

/** `shmkit …args` on a runtime, with Node's FFI warning taken out of stderr. */
async function cli(rt: Runtime, args: readonly string[], cwd = scratch): Promise<Result> {
  const r = await spawn(rt.argv(args), cwd, rt.env);
  return { ...r, stderr: r.stderr.replace(FFI_WARNING, "") };
}

/** The same command on Bun, from the package's source. */
const onBun = (args: readonly string[], cwd = scratch) => shmkit(args, { cwd, timeoutMs: 60_000 });

let scratch = "";

/** A directory in the scratch folder with a copy of shared.schema.ts, so that each runtime's output has its own. */
function schemaDir(name: string): string {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(`${SCHEMAS}/shared.schema.ts`, join(dir, "shared.schema.ts"));
  return dir;
}

beforeAll(async () => {
  // Inside the package, so that the schema's import of @shmkit/layout-gen and the generated code's import of
  // @shmkit/core/runtime resolve from the schema's directory, as in an app.
  scratch = mkdtempSync(join(import.meta.dir, ".tmp-runtimes-"));
  // What Node and Deno load: the three packages' dist (the "bun" export condition keeps Bun on src).
  for (const pkg of ["core", "layout-gen", "cli"]) {
    const built = await spawn(["bun", "run", "build"], join(ROOT, "packages", pkg));
    if (built.code !== 0) throw new Error(`bun run build of ${pkg} failed:\n${built.stdout}${built.stderr}`);
  }
  // The accessors that make-shared.ts creates its typed segment with, generated for this host.
  const gen = await onBun(["gen", "shared.schema.ts"], schemaDir("bun"));
  if (gen.code !== 0) throw new Error(`shmkit gen on Bun failed:\n${gen.stderr}`);
}, 300_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** A typed segment made by generated code, in a Bun process of its own. */
async function makeShared(name: string): Promise<void> {
  const made = await run([
    process.execPath,
    `${FIXTURES}/make-shared.ts`,
    join(scratch, "bun/shared.generated.ts"),
    name,
  ]);
  if (made.exitCode !== 0) throw new Error(`make-shared.ts failed: ${made.stderr}`);
}

for (const rt of RUNTIMES) {
  const skipped = rt.reason ? ` (skipped: ${rt.reason})` : "";
  describe.skipIf(rt.reason !== undefined)(`shmkit on ${rt.label}, from dist${skipped}`, () => {
    test("--version and doctor --json: this runtime, core's back-end on it, and the host as Bun sees it", async () => {
      const version = await cli(rt, ["--version"]);
      expect(version.stdout).toBe(`${VERSION}\n`);
      const r = await cli(rt, ["doctor", "--json"]);
      expect(r.stderr).toBe("");
      const report = JSON.parse(r.stdout) as Record<string, unknown> & { runtime: Record<string, string> };
      expect(report.runtime.name).toBe(rt.name);
      expect(report.runtime.ffi).toBe(rt.ffi);
      expect(report.runtime.version).toMatch(rt.name === "node" ? /^26\./ : /^2\./);
      const bun = await onBun(["doctor", "--json"]);
      const { runtime: _r, shm: s, ...host } = report;
      const { runtime: _b, shm: bs, ...bunHost } = JSON.parse(bun.stdout) as typeof report;
      expect(host).toEqual(bunHost);
      expect((s as { path: string }).path).toBe((bs as { path: string }).path);
      expect(r.code).toBe(bun.code);
    }, 60_000);

    test("ls --json lists a plain segment and a typed one that Bun processes made, as Bun lists them", async () => {
      const plain = uniqueName("rt-ls");
      const typed = uniqueName("rt-lstyped");
      try {
        Segment.create(plain, { size: 4096, mode: 0o640 }).close();
        await makeShared(typed);
        const r = await cli(rt, ["ls", "--json"]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        const bun = await onBun(["ls", "--json"]);
        type Entry = { name: string; mtime: string; typed: { struct: string } | null };
        const pick = (text: string) =>
          (JSON.parse(text) as Entry[]).filter((e) => e.name === plain || e.name === typed);
        const mine = pick(r.stdout);
        const bunEntries = pick(bun.stdout);
        expect(mine.map((e) => e.name)).toEqual([plain, typed].sort());
        expect(mine.find((e) => e.name === plain)?.typed).toBeNull();
        expect(mine.find((e) => e.name === typed)?.typed?.struct).toBe("Shared");
        // Node's fs rounds a stat time to the nearest millisecond where Bun and Deno truncate it (core's
        // SegmentInfo.mtime is that Date), so the ISO times may be 1 ms apart; everything else is the same.
        const withoutTime = (entries: Entry[]) => entries.map(({ mtime: _, ...rest }) => rest);
        expect(withoutTime(mine)).toEqual(withoutTime(bunEntries));
        for (const [i, entry] of mine.entries()) {
          const delta = Date.parse(entry.mtime) - Date.parse(bunEntries[i]?.mtime ?? "");
          expect(delta === 0 || (rt.name === "node" && delta === 1)).toBe(true);
        }
      } finally {
        Segment.unlink(plain, { ifExists: true });
        Segment.unlink(typed, { ifExists: true });
      }
    }, 60_000);

    test("inspect --schema decodes a typed segment made by generated code, byte for byte as on Bun", async () => {
      const name = uniqueName("rt-inspect");
      try {
        await makeShared(name);
        const dir = schemaDir(`inspect-${rt.name}`);
        for (const json of [["--json"], []]) {
          const args = ["inspect", name, "--schema", "shared.schema.ts", ...json];
          const r = await cli(rt, args, dir);
          expect(r.stderr).toBe("");
          expect(r.code).toBe(0);
          expect(r.stdout).toBe((await onBun(args, dir)).stdout);
        }
        const values = (
          JSON.parse(
            (await cli(rt, ["inspect", name, "--schema", "shared.schema.ts", "--json"], dir)).stdout,
          ) as {
            values: Record<string, unknown>;
          }
        ).values;
        expect(values.shared_resource).toBe(7);
        expect(values.label).toBe("made by Bun");
        expect(values.origin).toEqual({ x: 1.5, y: 0 });
      } finally {
        Segment.unlink(name, { ifExists: true });
      }
    }, 60_000);

    test("gen and header of a .ts schema write the files Bun writes", async () => {
      const dir = schemaDir(`gen-${rt.name}`);
      const gen = await cli(rt, ["gen", "shared.schema.ts"], dir);
      expect(gen.stderr).toBe(""); // no warning: @shmkit/core resolves from dir, as on Bun
      expect(gen.stdout).toBe("wrote shared.generated.ts\n");
      expect(gen.code).toBe(0);
      expect(readFileSync(join(dir, "shared.generated.ts"), "utf8")).toBe(
        readFileSync(join(scratch, "bun/shared.generated.ts"), "utf8"),
      );
      const header = await cli(rt, ["header", "shared.schema.ts", "--out", "shared.generated.h"], dir);
      expect(header.code).toBe(0);
      const bunDir = schemaDir(`gen-bun-for-${rt.name}`);
      expect((await onBun(["header", "shared.schema.ts", "--out", "shared.generated.h"], bunDir)).code).toBe(
        0,
      );
      expect(readFileSync(join(dir, "shared.generated.h"), "utf8")).toBe(
        readFileSync(join(bunDir, "shared.generated.h"), "utf8"),
      );
      const check = await cli(rt, ["gen", "shared.schema.ts", "--check"], dir);
      expect(check.stdout).toBe("up to date: shared.generated.ts\n");
      expect(check.code).toBe(0);
    }, 60_000);

    test("layout --json prints what Bun prints, for the host and for another target", async () => {
      for (const args of [
        ["layout", `${SCHEMAS}/shared.schema.ts`, "--json"],
        ["layout", `${SCHEMAS}/order.schema.ts`, "--target", "i686-linux-gnu", "--json"],
        ["layout", `${SCHEMAS}/cacheline.schema.ts`],
      ]) {
        const r = await cli(rt, args);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toBe((await onBun(args)).stdout);
      }
    }, 60_000);

    test("a schema that does not load is reported at its place, as on Bun", async () => {
      const args = ["layout", `${SCHEMAS}/pointer.schema.ts`];
      const r = await cli(rt, args);
      const bun = await onBun(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(bun.stderr);
    }, 60_000);

    test.skipIf(!HAS_CLANG)(
      `verify against gcc passes, and finds what Bun finds${HAS_CLANG ? "" : " (skipped: clang or cc is not installed)"}`,
      async () => {
        const ok = ["verify", `${SCHEMAS}/shared.schema.ts`, "--header", `${FIXTURES}/headers/shared.h`];
        const r = await cli(rt, ok);
        expect(r.stderr).toBe("");
        expect(r.stdout).toStartWith("ok: 2 structs, 14 members checked against shared.h");
        expect(r.code).toBe(0);
        expect(r.stdout).toBe((await onBun(ok)).stdout);
        const bad = [
          "verify",
          `${SCHEMAS}/order.schema.ts`,
          "--header",
          `${FIXTURES}/headers/shared.h`,
          "--json",
        ];
        const problems = await cli(rt, bad);
        const bun = await onBun(bad);
        expect(problems.code).toBe(1);
        expect(problems.stdout).toBe(bun.stdout);
      },
      60_000,
    );

    test.skipIf(!HAS_CLANG)(
      `import reads a header through clang as on Bun${HAS_CLANG ? "" : " (skipped: clang is not installed)"}`,
      async () => {
        const args = ["import", `${FIXTURES}/corpus/telemetry.h`];
        const r = await cli(rt, args);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        expect(r.stdout).toContain("export const reading = struct(");
        expect(r.stdout).toBe((await onBun(args)).stdout);
      },
      60_000,
    );

    test("rm removes a segment Bun made, and says which name failed", async () => {
      const name = uniqueName("rt-rm");
      const missing = uniqueName("rt-rm-missing");
      try {
        Segment.create(name, { size: 64 }).close();
        const r = await cli(rt, ["rm", name, missing]);
        expect(r.code).toBe(1);
        expect(Segment.exists(name)).toBe(false);
        expect(r.stderr).toBe(`shmkit rm: shm_unlink(${missing}): ENOENT (No such file or directory)\n`);
        const force = await cli(rt, ["rm", "--force", missing]);
        expect(force.code).toBe(0);
      } finally {
        Segment.unlink(name, { ifExists: true });
      }
    }, 60_000);
  });
}

describe("the launcher, dist/bin.js run as a program", () => {
  test("starts Bun where there is no node on PATH (a Bun-only machine)", async () => {
    const bin = join(scratch, "only-bun");
    mkdirSync(bin, { recursive: true });
    symlinkSync(process.execPath, join(bin, "bun"));
    symlinkSync("/bin/sh", join(bin, "sh")); // for the bin's `#!/usr/bin/env sh`
    const r = await spawn([DIST_BIN, "doctor", "--json"], scratch, { PATH: bin });
    expect(r.stderr).toBe("");
    const report = JSON.parse(r.stdout) as { runtime: { name: string; ffi: string; version: string } };
    expect(report.runtime).toEqual({ name: "bun", ffi: "bun:ffi", version: Bun.version });
  }, 60_000);

  test("says what it needs where there is neither node nor bun", async () => {
    const empty = join(scratch, "only-sh");
    mkdirSync(empty, { recursive: true });
    symlinkSync("/bin/sh", join(empty, "sh"));
    const r = await spawn([DIST_BIN, "--version"], scratch, { PATH: empty });
    expect(r.stderr).toBe("shmkit: needs node or bun on PATH\n");
    expect(r.code).toBe(127);
  });
});

// Node 20 (the pinned one, else the machine's own if it is 20–25) has no node:ffi, so core runs there through
// koffi, and it cannot load TypeScript unless it strips types (22.6 and later).
const OLD_NODE: { path?: string; version?: string; reason?: string } = (() => {
  const found = node20();
  if (!found.path) return { reason: found.reason ?? "no Node 20" };
  const version = found.version.replace(/^v/, "");
  const [major = 0, minor = 0] = version.split(".").map(Number);
  if (major > 22 || (major === 22 && minor >= 6))
    return { reason: `${found.path} is Node ${version}, which strips types` };
  return { path: found.path, version };
})();

describe.skipIf(OLD_NODE.path === undefined)(
  `shmkit on a Node without TypeScript${OLD_NODE.path ? ` (${OLD_NODE.version})` : ` (skipped: ${OLD_NODE.reason})`}`,
  () => {
    const oldNode = (args: readonly string[], cwd = scratch) =>
      spawn([OLD_NODE.path ?? "node", DIST_BIN, ...args], cwd);

    test("a .ts schema is refused in one line that says what loads it", async () => {
      const dir = schemaDir("node20");
      const r = await oldNode(["layout", "shared.schema.ts"], dir);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      const line = r.stderr.trimEnd();
      expect(line.split("\n")).toHaveLength(1);
      expect(line).toStartWith(
        `shmkit layout: shared.schema.ts: Node ${OLD_NODE.version} cannot load a TypeScript schema: use Node 22.18 or later`,
      );
      for (const way of ["bunx --bun shmkit", "deno run -A", 'NODE_OPTIONS="--import tsx"', ".mjs"]) {
        expect(line).toContain(way);
      }
    }, 60_000);

    test("the same schema as .mjs lays out as Bun lays out the .ts", async () => {
      const dir = schemaDir("node20-mjs");
      copyFileSync(join(dir, "shared.schema.ts"), join(dir, "shared.schema.mjs"));
      const r = await oldNode(["layout", "shared.schema.mjs", "--json"], dir);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toBe((await onBun(["layout", "shared.schema.ts", "--json"], dir)).stdout);
    }, 60_000);

    test("segment commands reach libc through koffi (core's optional peer, here its devDependency)", async () => {
      const ls = await oldNode(["ls"]);
      expect({ code: ls.code, stderr: ls.stderr }).toEqual({ code: 0, stderr: "" });
      const doctor = await oldNode(["doctor", "--json"]);
      expect(doctor.stderr).toBe("");
      const report = JSON.parse(doctor.stdout) as { runtime: unknown };
      expect(report.runtime).toEqual({ name: "node", version: OLD_NODE.version, ffi: "koffi" });
    }, 60_000);
  },
);

describe.skipIf(deno.reason !== undefined)(
  `shmkit on Deno without -A${deno.reason ? ` (skipped: ${deno.reason})` : ""}`,
  () => {
    const denoRun = (flags: readonly string[], args: readonly string[]) =>
      spawn([deno.path ?? "deno", "run", ...flags, DIST_BIN, ...args], scratch, { DENO_NO_PROMPT: "1" });

    test("with no permissions it stops at the first file it reads, naming the flag", async () => {
      const r = await denoRun([], ["--version"]);
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("Requires read access to");
      expect(r.stderr).toContain("--allow-read");
    }, 60_000);

    test("ls needs --allow-all, because Deno opens /dev/shm only with it: one line says so", async () => {
      const r = await denoRun(["--allow-read", "--allow-env", "--allow-ffi"], ["ls"]);
      expect(r.stderr).toBe(
        'shmkit ls: Requires all access to "/dev/shm", run again with the --allow-all flag\n',
      );
      expect(r.code).toBe(1);
    }, 60_000);

    test("layout of a .ts schema needs only --allow-read", async () => {
      const args = ["layout", `${SCHEMAS}/shared.schema.ts`, "--json"];
      const r = await denoRun(["--allow-read"], args);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout).toBe((await onBun(args)).stdout);
    }, 60_000);
  },
);
