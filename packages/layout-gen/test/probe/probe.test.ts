import { describe, expect, test } from "bun:test";
import { ShmArgumentError } from "@shmkit/core";
import { compilerArgv, probeLayouts } from "../../src/probe/index.ts";
import { targetCompilers } from "../fuzz/support/compilers.ts";

const SOURCE = `
#include <stdint.h>
struct Inner { int16_t a; double b; };
struct S {
  char c;
  struct Inner in;
  int32_t arr[4];
  uint32_t lo : 3, mid : 9;
  int64_t wide : 40;
  _Bool flag : 1;
  uint8_t tail[];
};
typedef union { uint64_t u; char s[3]; } U;
`;
const QUERY = [
  {
    type: "struct S",
    fields: [
      "c",
      "in.b",
      "arr[2]",
      { path: "lo", bitfield: true },
      { path: "mid", bitfield: true },
      { path: "wide", bitfield: true },
      { path: "flag", bitfield: true },
      { path: "tail", flexible: true },
    ],
  },
  { type: "U", fields: ["s"] },
];

describe("probeLayouts()", () => {
  for (const tc of targetCompilers()) {
    test.skipIf(tc.missing !== undefined)(
      `reads sizes, offsets and bitfield bits from a ${tc.target} object file (${tc.compiler.join(" ")})`,
      async () => {
        const result = await probeLayouts(SOURCE, QUERY, { compiler: tc.compiler });
        if (!result.ok) throw new Error(result.stderr);
        const [s, u] = result.types;
        const i386 = tc.target.startsWith("i686");
        // Offsets below follow the psABIs; i386 aligns double and int64_t to 4 inside structs.
        expect(s?.fields).toEqual([
          { path: "c", offset: 0, size: 1 },
          { path: "in.b", offset: i386 ? 8 : 16, size: 8 },
          { path: "arr[2]", offset: i386 ? 24 : 32, size: 4 },
          { path: "lo", offset: i386 ? 32 : 40, size: 1, bitOffset: 0, bitWidth: 3 },
          { path: "mid", offset: i386 ? 32 : 40, size: 2, bitOffset: 3, bitWidth: 9 },
          { path: "wide", offset: i386 ? 33 : 41, size: 6, bitOffset: 4, bitWidth: 40 },
          { path: "flag", offset: i386 ? 38 : 46, size: 1, bitOffset: 4, bitWidth: 1 },
          { path: "tail", offset: i386 ? 39 : 47, size: 0 },
        ]);
        expect([s?.size, s?.align]).toEqual(i386 ? [40, 4] : [48, 8]);
        expect(u).toEqual({
          type: "U",
          size: 8,
          align: i386 ? 4 : 8,
          fields: [{ path: "s", offset: 0, size: 3 }],
        });
      },
      60_000,
    );
  }

  test("returns the compiler's stderr (with the input's line numbers) when the source does not compile", async () => {
    const result = await probeLayouts("struct Broken {\n  int x;\n  no_such_t y;\n};", [
      { type: "struct Broken" },
    ]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain("probe-input.h:3");
  });

  test("reports a missing member as a compiler error rather than a wrong number", async () => {
    const result = await probeLayouts("struct A { int x; };", [{ type: "struct A", fields: ["nope"] }]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.stderr).toContain("nope");
  });

  test("gives up on a compiler that hangs, after timeoutMs", async () => {
    const started = Date.now();
    const result = await probeLayouts("struct A { int x; };", [{ type: "struct A" }], {
      compiler: ["sh", "-c", "exec sleep 30", "sh"],
      timeoutMs: 300,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.exitCode).toBeNull();
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 30_000);

  test("refuses type names and member paths that are not C, before running anything", async () => {
    await expect(probeLayouts("", [{ type: "struct A; int x" }])).rejects.toBeInstanceOf(ShmArgumentError);
    await expect(probeLayouts("", [{ type: "struct A", fields: ["a); system(1"] }])).rejects.toBeInstanceOf(
      ShmArgumentError,
    );
  });

  test("compilerArgv() splits a command line", () => {
    expect(compilerArgv("clang  --target=arm64-apple-macos11")).toEqual([
      "clang",
      "--target=arm64-apple-macos11",
    ]);
    expect(compilerArgv()).toEqual(["cc"]);
  });
});
