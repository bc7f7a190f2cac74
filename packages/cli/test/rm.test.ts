import { describe, expect, test } from "bun:test";
import { Segment } from "@shmkit/core";
import { shmkit, uniqueName } from "./helpers.ts";

function make(tag: string): string {
  const name = uniqueName(tag);
  Segment.create(name, { size: 64 }).close();
  return name;
}

describe("shmkit rm", () => {
  test("removes every name given, with or without the slash", async () => {
    const a = make("rma");
    const b = make("rmb");
    const { code, stderr } = await shmkit(["rm", a, b.slice(1)]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(Segment.exists(a)).toBe(false);
    expect(Segment.exists(b)).toBe(false);
  });

  test("a missing name gets its own message, the others are still removed, and the exit code is 1", async () => {
    const a = make("rmc");
    const missing = uniqueName("rmmissing");
    const b = make("rmd");
    const { code, stderr } = await shmkit(["rm", a, missing, b]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`shmkit rm: shm_unlink(${missing}): ENOENT (No such file or directory)`);
    expect(Segment.exists(a)).toBe(false);
    expect(Segment.exists(b)).toBe(false);
  });

  test("--force ignores names that do not exist", async () => {
    const { code, stderr } = await shmkit(["rm", "-f", uniqueName("rmforce")]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });

  test("an invalid name is a usage error (exit 2) that names the rule", async () => {
    const { code, stderr } = await shmkit(["rm", "a/b"]);
    expect(code).toBe(2);
    expect(stderr).toContain('name: must not contain a slash after the first character, got "a/b"');
  });

  test("no name at all is a usage error with the help", async () => {
    const { code, stderr } = await shmkit(["rm"]);
    expect(code).toBe(2);
    expect(stderr).toContain("missing required argument 'names'");
    expect(stderr).toContain("Usage: shmkit rm");
  });
});
