import { describe, expect, test } from "bun:test";

const bin = `${import.meta.dir}/../../../node_modules/.bin/shmkit`;

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
  test("the installed bin prints help and exits 0", async () => {
    const { code, stdout } = await shmkit("--help");
    expect(code).toBe(0);
    expect(stdout).toContain("Usage: shmkit");
    expect(stdout).toContain("Typed POSIX shared memory for TypeScript on Bun");
  });

  test("an unknown option exits 2 with the error and the help", async () => {
    const { code, stderr } = await shmkit("--no-such-option");
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--no-such-option'");
  });
});
