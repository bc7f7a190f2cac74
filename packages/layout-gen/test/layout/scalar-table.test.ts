/**
 * The per-target scalar table against each compiler: every C name the DSL offers, as a member after a char (so
 * both its size and its member alignment show), and `void *` for the pointer entry.
 */
import { describe, expect, test } from "bun:test";
import { TARGET_NAMES, TARGETS } from "@shmkit/core/targets";
import { layoutOf, type ScalarSpec, struct, t } from "../../src/index.ts";
import { probeLayouts } from "../../src/probe/index.ts";
import { prelude } from "../fuzz/support/compilers.ts";
import { compilerFor, disagreements } from "./compiler.ts";

const scalars = Object.entries(t).filter(
  (entry): entry is [string, ScalarSpec] => typeof entry[1] === "object" && entry[1].kind === "scalar",
);
const defs = scalars.map(([name, spec]) => struct(`Scalar_${name}`, { c: t.char_, v: spec }));

describe("scalar table", () => {
  test("covers every C name the DSL offers", () => {
    expect(scalars.length).toBeGreaterThanOrEqual(30);
  });
  for (const target of TARGET_NAMES) {
    const tc = compilerFor(target);
    test.skipIf(tc.missing !== undefined)(
      `${target}: every scalar's size and member alignment match ${tc.compiler.join(" ")}`,
      async () => {
        expect(await disagreements(defs, target)).toEqual([]);
      },
      60_000,
    );
    test.skipIf(tc.missing !== undefined)(`${target}: the pointer entry matches sizeof(void *)`, async () => {
      const result = await probeLayouts(
        `${prelude(tc.libc)}struct P { char c; void *p; };`,
        [{ type: "struct P", fields: ["p"] }],
        { compiler: tc.compiler },
      );
      if (!result.ok) throw new Error(result.stderr);
      const pointer = TARGETS[target].pointer;
      expect(result.types[0]?.fields[0]).toEqual({ path: "p", offset: pointer.align, size: pointer.size });
    });
  }
  test("a scalar's layout comes from the table for that target", () => {
    const def = struct("LD", { c: t.char_, v: t.long_double });
    for (const target of TARGET_NAMES) {
      const info = TARGETS[target].scalars["long double"];
      expect(layoutOf(def, { target }).fields[1]).toMatchObject({ offset: info.align, size: info.size });
    }
  });
});
