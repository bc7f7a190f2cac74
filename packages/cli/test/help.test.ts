import { beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";

// The file package.json's "bin" names, run as a program, as `npm install` links it into node_modules/.bin: its
// launcher starts Node (or Bun) on the built dist of this package and of @shmkit/core. `bun run test` builds every
// package first (turbo.json); install-check runs the same bin from the packed tarballs.
const bin = join(import.meta.dir, "../dist/bin.js");

beforeAll(() => {
  for (const file of [bin, join(import.meta.dir, "../../core/dist/index.js")]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run bun run build first`);
  }
});

async function shmkit(...args: string[]) {
  const child = Bun.spawn([bin, ...args], {
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { code: await child.exited, stdout, stderr };
}

describe("shmkit", () => {
  test("the bin prints help and exits 0", async () => {
    const { code, stdout } = await shmkit("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: shmkit");
    expect(stdout).toContain("Typed POSIX shared memory for TypeScript on Bun");
  });

  test("--version prints the version in the package's package.json", async () => {
    const { version } = (await Bun.file(`${import.meta.dir}/../package.json`).json()) as { version: string };
    const { code, stdout } = await shmkit("--version");
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });

  test("an unknown option exits 2 with the error and the help", async () => {
    const { code, stderr } = await shmkit("--no-such-option");
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--no-such-option'");
  });

  const commands = ["gen", "header", "layout", "verify", "import", "ls", "inspect", "rm", "doctor"];

  test("the root help lists every command in the order of the issue", async () => {
    const { stdout } = await shmkit("--help");
    const listed = stdout
      .split("\n")
      .map((l) => /^ {2}([a-z]+) /.exec(l)?.[1])
      .filter((c): c is string => c !== undefined && c !== "help");
    expect(listed).toEqual(commands);
  });

  for (const command of commands) {
    test(`shmkit ${command} --help prints its usage, options and an example, and exits 0`, async () => {
      const { code, stdout, stderr } = await shmkit(command, "--help");
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: shmkit ${command} [options]`);
      expect(stdout).toContain("Example:");
      expect(stdout).not.toContain("\x1b[");
    });
  }

  test("an unknown command exits 2", async () => {
    const { code, stderr } = await shmkit("frobnicate");
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });
});
