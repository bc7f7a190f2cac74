import { describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Segment } from "@shmkit/core";
import { hostTarget, type TargetName } from "@shmkit/core/targets";
import { emitCHeader, generate } from "../../src/emit/index.ts";
import { layoutOf, t, union } from "../../src/index.ts";
import { GCC } from "../fuzz/support/compilers.ts";
import * as schema from "./fixtures/features.schema.ts";
import { FIXTURES, run, tempDir } from "./helpers.ts";

// Every DSL feature, laid out by layoutOf and emitted for four Linux targets; each header is compiled by that
// target's gcc (installed by the repo's scripts), whose _Static_asserts then check every size, alignment and
// offset. A target whose compiler is missing is skipped, with its name in the test title.
const COMPILERS: readonly (readonly [TargetName, readonly string[] | undefined])[] = [
  ["x86_64-linux-gnu", GCC["x86_64-linux-gnu"]],
  ["aarch64-linux-gnu", GCC["aarch64-linux-gnu"]],
  ["i686-linux-gnu", GCC["i686-linux-gnu"]],
  ["x86_64-linux-musl", GCC["x86_64-linux-musl"]],
  ["aarch64-linux-musl", GCC["aarch64-linux-musl"]],
];
const TSC = join(import.meta.dir, "../../../../node_modules/.bin/tsc");

describe("every feature, every Linux target", () => {
  for (const [target, cc] of COMPILERS) {
    test.skipIf(!cc)(
      `the ${target} header compiles with ${cc ? cc.join(" ") : "its gcc (skipped: not installed)"} -std=c11 -Wall -Werror and its asserts hold`,
      async () => {
        const dir = tempDir();
        try {
          await Bun.write(
            join(dir, "features.h"),
            generate(schema, { schemaPath: "features.schema.ts", target }).header,
          );
          await Bun.write(join(dir, "t.c"), '#include "features.h"\n');
          const r = await run(
            [
              ...(cc as readonly string[]),
              "-std=c11",
              "-Wall",
              "-Werror",
              "-c",
              join(dir, "t.c"),
              "-o",
              join(dir, "t.o"),
            ],
            {
              timeoutMs: 60_000,
            },
          );
          expect(r.stderr).toBe("");
          expect(r.exitCode).toBe(0);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      90_000,
    );
  }

  // On i686 an aligned attribute that moves no offset still counts: gcc keeps an 8-byte union holding an 8-byte
  // _Atomic 8-aligned only with it (TYPE_USER_ALIGN), and layoutOf() models that, so the header must write it.
  test.skipIf(!Bun.which("i686-linux-gnu-gcc"))(
    "the i686 header keeps an aligned attribute that changes no offset but the union's alignment",
    async () => {
      const AtomicUnion = union("AtomicUnion", { n: t.atomic(t.u64), w: t.align(4, t.u32) });
      expect(layoutOf(AtomicUnion, { target: "i686-linux-gnu" }).align).toBe(8);
      const dir = tempDir();
      try {
        await Bun.write(
          join(dir, "u.h"),
          emitCHeader([layoutOf(AtomicUnion, { target: "i686-linux-gnu" })], { schemaPath: "u.ts" }),
        );
        await Bun.write(join(dir, "t.c"), '#include "u.h"\n');
        const r = await run(
          [Bun.which("i686-linux-gnu-gcc") as string, "-std=c11", "-Wall", "-Werror", "-c", join(dir, "t.c")],
          { timeoutMs: 60_000, cwd: dir },
        );
        // gcc adds a -Wpsabi note about 8-byte _Atomic members (their alignment changed in gcc 11): not an error.
        expect(r.stderr).not.toContain("error");
        expect(r.exitCode).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    90_000,
  );

  test("the TypeScript for every target typechecks", async () => {
    const dir = join(FIXTURES, `.features-${process.pid}`);
    try {
      const files: string[] = [];
      for (const [target] of COMPILERS) {
        await Bun.write(
          join(dir, `${target}.generated.ts`),
          generate(schema, { schemaPath: "f.ts", target }).typescript,
        );
        files.push(`${target}.generated.ts`);
      }
      await Bun.write(join(dir, "control.ts"), 'export const control: number = "not a number";\n');
      await Bun.write(
        join(dir, "tsconfig.json"),
        JSON.stringify({
          extends: "../../../../../../tsconfig.base.json",
          compilerOptions: { types: ["bun"] },
          files: [...files, "control.ts"],
        }),
      );
      const r = await run([TSC, "-p", join(dir, "tsconfig.json")], { timeoutMs: 90_000 });
      expect(r.stdout.split("\n").filter((l) => l.includes(".generated.ts"))).toEqual([]);
      expect(r.stdout).toContain("control.ts(1,14): error TS2322"); // tsc ran and reports errors
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  test("on this host, the new kinds read and write through the generated classes", async () => {
    const dir = join(FIXTURES, `.features-run-${process.pid}`);
    try {
      const target = hostTarget().name;
      await Bun.write(
        join(dir, "f.generated.ts"),
        generate(schema, { schemaPath: "f.ts", target }).typescript,
      );
      const mod = await import(join(dir, "f.generated.ts"));
      using seg = Segment.anonymous({ size: 8192 });
      const f = mod.Features.attach(seg, 0);
      f.wide = 2n ** 39n + 5n;
      f.flag = true;
      f.more = 511;
      f.mode = 5;
      expect([f.wide, f.flag, f.more, f.mode]).toEqual([2n ** 39n + 5n, true, 511, 5]);
      expect(f.ld.length).toBe(
        mod.Features.LAYOUT.fields.find((x: { name: string }) => x.name === "ld").size,
      );
      expect(f.locks.length).toBe(2);
      expect(typeof f.rw).toBe("number");
      f.small.i = 0x3f800000;
      expect(f.small.f).toBe(1);
      f.inners.get(1).b = 2.5;
      expect(f.inners.get(1).b).toBe(2.5);
      f.state = mod.Mode.ON;
      expect(f.state).toBe(1);
      const tight = mod.Tight.attach(seg, 4097);
      tight.bits = 0xfffff;
      tight.d = -1.25;
      tight.pair.set(2, -3);
      expect([tight.bits, tight.d, tight.pair.get(2)]).toEqual([0xfffff, -1.25, -3]);
      expect(() => mod.Wide.attach(seg, 32)).toThrow(/multiple of 64/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
