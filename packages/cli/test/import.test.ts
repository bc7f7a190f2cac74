import { describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { hostTarget } from "@shmkit/core/targets";
import { hostMusl, shmkit } from "./helpers.ts";

const CORPUS = `${import.meta.dir}/fixtures/corpus`;
const HAS_CLANG = Bun.which("clang") !== null;
const HOST = hostTarget().name;

/**
 * A scratch directory inside the package, so that an imported schema resolves `@shmkit/layout-gen` the way a
 * user's project does (from its own node_modules). Removed on dispose.
 */
function scratch(): { path: string; [Symbol.dispose](): void } {
  const path = mkdtempSync(`${import.meta.dir}/.tmp-import-`);
  return { path, [Symbol.dispose]: () => rmSync(path, { recursive: true, force: true }) };
}

describe.skipIf(!HAS_CLANG)(
  HAS_CLANG ? "shmkit import" : "shmkit import (skipped: clang is not installed)",
  () => {
    test("imports the seed-000 struct as a schema", async () => {
      const { code, stdout, stderr } = await shmkit(["import", "seed000.h", "--target", HOST], {
        cwd: CORPUS,
      });
      expect(stderr).toBe("");
      expect(code).toBe(0);
      expect(stdout).toBe(
        [
          `// Imported by shmkit from seed000.h (target ${HOST}).`,
          `// Check it against the header: shmkit verify <this file> --header seed000.h --target ${HOST}`,
          'import { struct, t } from "@shmkit/layout-gen";',
          "",
          'export const SharedMemory = struct("SharedMemory", {',
          "  mutex: t.pthread_mutex,",
          "  cond: t.pthread_cond,",
          "  shared_resource: t.int,",
          "});",
          "",
        ].join("\n"),
      );
    });

    test("writes bitfields, unnamed and zero-width bitfields, arrays, enums, unions and attributes in the DSL", async () => {
      const flags = await shmkit(["import", "flags.h"], { cwd: CORPUS });
      expect(flags.stdout).toContain(
        "  a: t.bits(t.uint, 1),\n  b: t.bits(t.uint, 2),\n  _pad0: t.pad(t.uint, 0),",
      );
      expect(flags.stdout).toContain("  e: t.bits(t.ulong_long, 40),");
      expect(flags.stdout).toContain("}, { packed: true });");
      const book = await shmkit(["import", "book.h"], { cwd: CORPUS });
      expect(book.stdout).toContain('export const book_t = struct("book_t", {');
      expect(book.stdout).toContain("  bids: t.array(level, 10),");
      expect(book.stdout).toContain("  grid: t.array(t.int, 2, 3),");
      expect(book.stdout).toContain("  last_id: t.u32,");
      expect(book.stdout).toContain("  stamp: t.long,\n  seq: t.ulong,");
      const telemetry = await shmkit(["import", "telemetry.h", "--struct", "reading"], { cwd: CORPUS });
      expect(telemetry.stdout).toContain(
        'const sensor_kindEnum = t.enum("sensor_kind", { SENSOR_TEMPERATURE: 1, SENSOR_COUNTER: 2, SENSOR_ACCEL: 10, SENSOR_OFFLINE: -1 });',
      );
      expect(telemetry.stdout).toContain('const reading_value = union("reading_value", {');
      expect(telemetry.stdout).not.toContain("sensor_table");
      const ring = await shmkit(["import", "ring.h"], { cwd: CORPUS });
      expect(ring.stdout).toContain("  head: t.align(64, t.atomic(t.u64)),");
      expect(ring.stdout).toContain("  data: t.flex(t.uchar),");
    });

    // Every header of the corpus, for every target whose C compiler is installed: import, then verify.
    const targets: { target: string; cc: string; missing?: string | undefined }[] = [
      { target: HOST, cc: "cc" },
      { target: "aarch64-linux-gnu", cc: "aarch64-linux-gnu-gcc" },
      { target: "i686-linux-gnu", cc: "i686-linux-gnu-gcc" },
      hostMusl(),
    ].filter((t, i, all) => all.findIndex((u) => u.target === t.target) === i);
    const headers = readdirSync(CORPUS)
      .filter((f) => f.endsWith(".h"))
      .sort();
    for (const { target, cc, missing: unusable } of targets) {
      const missing = unusable ?? (Bun.which(cc) === null ? `${cc} is not installed` : undefined);
      test.skipIf(missing !== undefined)(
        `the imported schema of every corpus header passes verify on ${target}${missing ? ` (skipped: ${missing})` : ""}`,
        async () => {
          expect(headers.length).toBeGreaterThanOrEqual(7);
          using dir = scratch();
          for (const header of headers) {
            const schema = `${dir.path}/${header.replace(/\.h$/, ".schema.ts")}`;
            const imported = await shmkit(["import", header, "--target", target], { cwd: CORPUS });
            expect({ header, stderr: imported.stderr, code: imported.code }).toEqual({
              header,
              stderr: "",
              code: 0,
            });
            await Bun.write(schema, imported.stdout);
            const verified = await shmkit(["verify", schema, "--header", header, "--target", target], {
              cwd: CORPUS,
            });
            expect({ header, out: verified.stdout, code: verified.code }).toMatchObject({ header, code: 0 });
            expect(verified.stdout).toMatch(
              new RegExp(`^ok: \\d+ structs?, \\d+ members? checked against ${header} \\(${target}, `),
            );
          }
        },
        120_000,
      );
    }

    test("a pointer member is refused with its place and a hint; other structs are still imported", async () => {
      using dir = scratch();
      await Bun.write(
        `${dir.path}/list.h`,
        "struct node {\n  int value;\n  struct node *next;\n};\n\nstruct count { long n; };\n",
      );
      const picked = await shmkit(["import", "list.h", "--struct", "node"], { cwd: dir.path });
      expect(picked.code).toBe(1);
      expect(picked.stderr.trim()).toBe(
        "shmkit import: node.next: struct node * is a pointer, which means nothing in another process; store an offset into the segment instead (list.h:3)",
      );
      const all = await shmkit(["import", "list.h"], { cwd: dir.path });
      expect(all.code).toBe(0);
      expect(all.stderr).toContain("shmkit import: skipped node: node.next: struct node * is a pointer");
      expect(all.stdout).toContain('export const count = struct("count", {\n  n: t.long,\n});');
    });

    test("anonymous members and #pragma pack are refused with a way out", async () => {
      using dir = scratch();
      await Bun.write(
        `${dir.path}/odd.h`,
        "struct anon {\n  struct { int a; };\n};\n#pragma pack(push, 1)\nstruct pragma { char c; int i; };\n#pragma pack(pop)\n",
      );
      const anon = await shmkit(["import", "odd.h", "--struct", "anon"], { cwd: dir.path });
      expect(anon.code).toBe(1);
      expect(anon.stderr).toContain(
        "anon: an anonymous struct or union member is not supported; give it a name (odd.h:2)",
      );
      const pragma = await shmkit(["import", "odd.h", "--struct", "pragma"], { cwd: dir.path });
      expect(pragma.code).toBe(1);
      expect(pragma.stderr).toContain("pragma: #pragma pack is not supported; use __attribute__((packed))");
    });

    test("C names that are JavaScript reserved words still give a schema that loads and passes verify", async () => {
      using dir = scratch();
      await Bun.write(
        `${dir.path}/kw.h`,
        "struct var { int a; };\ntypedef struct { struct var v; double d; } function;\n" +
          "struct import { function f; char c; };\nstruct eval { int yield; };\n",
      );
      const imported = await shmkit(["import", "kw.h"], { cwd: dir.path });
      expect(imported.stderr).toBe("");
      expect(imported.code).toBe(0);
      await Bun.write(`${dir.path}/kw.schema.ts`, imported.stdout);
      const verified = await shmkit(["verify", "kw.schema.ts", "--header", "kw.h"], { cwd: dir.path });
      expect(verified.stderr).toBe("");
      expect(verified.code).toBe(0);
      expect(verified.stdout).toMatch(/^ok: 4 structs, \d+ members checked against kw\.h/);
    });

    test("an unknown --struct exits 2 and lists the header's structs", async () => {
      const r = await shmkit(["import", "telemetry.h", "--struct", "nope"], { cwd: CORPUS });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        "nope: no such struct or union in telemetry.h (it defines: reading, sensor_table)",
      );
    });

    test("a header clang cannot parse exits 2 with clang's message", async () => {
      using dir = scratch();
      await Bun.write(`${dir.path}/bad.h`, "struct broken { int x }\n");
      const r = await shmkit(["import", "bad.h"], { cwd: dir.path });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("shmkit import: clang failed (exit 1):");
      expect(r.stderr).toContain("bad.h:1:24: error: expected ';' after struct");
    });
  },
);

test("without clang, import exits 2 and says how to install it", async () => {
  const r = await shmkit(["import", `${CORPUS}/seed000.h`, "--clang", "clang-that-is-not-installed"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    "clang-that-is-not-installed not found: install it with scripts/install-toolchains.sh",
  );
});
