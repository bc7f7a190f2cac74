import { describe, expect, test } from "bun:test";
import { ShmArgumentError } from "@shmkit/core";
import { layoutOf, struct, t } from "../../src/index.ts";
import {
  compilerArgv,
  layoutProblems,
  type ProbedType,
  probeLayouts,
  probeQueryFor,
} from "../../src/probe/index.ts";
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

describe("probeQueryFor() and layoutProblems()", () => {
  const Order = struct("Order", {
    id: t.u32,
    qty: t.u64,
    flags: t.bits(t.u8, 3),
    _0: t.pad(t.u8, 0),
    more: t.bits(t.u8, 2),
  });

  // These compare x86_64 layouts, so they need a gcc that builds for x86_64.
  const native = targetCompilers().find(
    (tc) => tc.target === "x86_64-linux-gnu" && tc.compiler[0] !== "clang",
  );

  test.skipIf(native?.missing !== undefined)(
    "a header that matches the schema gives no problems",
    async () => {
      const layout = layoutOf(Order, { target: "x86_64-linux-gnu" });
      const header =
        "#include <stdint.h>\nstruct Order { uint32_t id; uint64_t qty; uint8_t flags : 3; uint8_t : 0; uint8_t more : 2; };";
      const result = await probeLayouts(header, [probeQueryFor(layout)], {
        compiler: native?.compiler ?? ["gcc"],
      });
      if (!result.ok) throw new Error(result.stderr);
      expect(layoutProblems(layout, result.types[0] as ProbedType, "order.h")).toEqual([]);
    },
  );

  test.skipIf(native?.missing !== undefined)(
    "a header that differs gives one sentence per difference, with the place",
    async () => {
      const layout = layoutOf(Order, { target: "x86_64-linux-gnu" });
      const header =
        "#include <stdint.h>\nstruct __attribute__((packed)) Order { uint32_t id; uint64_t qty; uint8_t flags : 4; uint8_t more : 2; };";
      const result = await probeLayouts(header, [probeQueryFor(layout)], {
        compiler: native?.compiler ?? ["gcc"],
      });
      if (!result.ok) throw new Error(result.stderr);
      expect(layoutProblems(layout, result.types[0] as ProbedType, "order.h")).toEqual([
        "Order: size 24 in the schema, 13 in order.h",
        "Order: alignment 8 in the schema, 1 in order.h",
        "Order.qty: offset 8 in the schema, 4 in order.h",
        "Order.flags: bit offset 128 in the schema, 96 in order.h",
        "Order.flags: bit width 3 in the schema, 4 in order.h",
        "Order.more: bit offset 136 in the schema, 100 in order.h",
      ]);
    },
  );

  test("probeQueryFor() asks for named members only, marking bitfields and flexible arrays", () => {
    const layout = layoutOf(
      struct("Q", { a: t.u8, b: t.bits(t.u8, 1), _p: t.pad(t.u8, 2), c: t.flex(t.u16) }),
      {
        target: "x86_64-linux-gnu",
      },
    );
    expect(probeQueryFor(layout)).toEqual({
      type: "struct Q",
      fields: [
        { path: "a", bitfield: false, flexible: false },
        { path: "b", bitfield: true, flexible: false },
        { path: "c", bitfield: false, flexible: true },
      ],
    });
  });
});
