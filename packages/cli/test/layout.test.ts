import { describe, expect, test } from "bun:test";
import { shmkit, tempDir } from "./helpers.ts";

const SCHEMAS = `${import.meta.dir}/fixtures/schemas`;
const SHARED = `${SCHEMAS}/shared.schema.ts`;

describe("shmkit layout", () => {
  test("prints a pahole-style report with offsets, sizes, holes, cache lines and padding", async () => {
    const { code, stdout, stderr } = await shmkit([
      "layout",
      SHARED,
      "--struct",
      "Shared",
      "--target",
      "x86_64-linux-gnu",
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const lines = stdout.split("\n");
    expect(lines[0]).toBe("struct Shared {   /* x86_64-linux-gnu */");
    expect(lines).toContain("\tpthread_mutex_t mutex;          /*      0    40 */");
    expect(lines).toContain("\tchar label[32];                 /*     92    32 */");
    expect(lines).toContain("\t/* XXX 4 bytes hole, try to pack */");
    expect(lines).toContain("\t/* --- cacheline 1 boundary (64 bytes) was 24 bytes ago --- */");
    expect(lines).toContain("\t/* --- cacheline 2 boundary (128 bytes) --- */");
    expect(lines).toContain("\tuint32_t flags:3;               /*    212: 0  1 */");
    expect(lines).toContain("\t/* size: 224, align: 8, cachelines: 4, members: 10 */");
    expect(lines).toContain("\t/* padding: 4 */");
    expect(lines.at(-2)).toBe("};");
  });

  test("marks a cache-line boundary before a bitfield that starts it, and after a member that straddles one", async () => {
    const { code, stdout } = await shmkit([
      "layout",
      `${SCHEMAS}/cacheline.schema.ts`,
      "--target",
      "x86_64-linux-gnu",
    ]);
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(1, 9)).toEqual([
      "\tuint8_t head[64];               /*      0    64 */",
      "\t/* --- cacheline 1 boundary (64 bytes) --- */",
      "\tuint8_t flag:1;                 /*     64: 0  1 */",
      "\tuint8_t body[70];               /*     65    70 */",
      "\t/* --- cacheline 2 boundary (128 bytes) was 7 bytes ago --- */",
      "\t/* XXX 1 byte hole, try to pack */",
      "\tuint64_t tail;                  /*    136     8 */",
      "",
    ]);
  });

  test("--json prints the documented shape, with bitOffset/bitWidth for bitfields only", async () => {
    const { code, stdout } = await shmkit(["layout", SHARED, "--json", "--target", "x86_64-linux-gnu"]);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.target).toBe("x86_64-linux-gnu");
    expect(json.structs.map((s: { name: string }) => s.name)).toEqual(["Point", "Shared"]);
    const shared = json.structs[1];
    expect(Object.keys(shared)).toEqual(["name", "size", "align", "fingerprint", "fields"]);
    expect(shared).toMatchObject({ name: "Shared", size: 224, align: 8 });
    expect(shared.fingerprint).toMatch(/^[0-9a-f]{16,}$/);
    expect(shared.fields[0]).toEqual({
      name: "mutex",
      offset: 0,
      size: 40,
      align: 8,
      type: "pthread_mutex_t",
    });
    expect(shared.fields.find((f: { name: string }) => f.name === "samples")).toEqual({
      name: "samples",
      offset: 128,
      size: 64,
      align: 8,
      type: "double[8]",
    });
    const mode = shared.fields.find((f: { name: string }) => f.name === "mode");
    expect(mode).toMatchObject({ offset: 212, bitOffset: 3, bitWidth: 5, type: "uint32_t" });
  });

  test("--target changes the layout: i386 aligns double to 4 inside structs", async () => {
    const x64 = JSON.parse(
      (await shmkit(["layout", SHARED, "--json", "--target", "x86_64-linux-gnu"])).stdout,
    );
    const i686 = JSON.parse(
      (await shmkit(["layout", SHARED, "--json", "--target", "i686-linux-gnu"])).stdout,
    );
    expect(x64.structs[0]).toMatchObject({ name: "Point", align: 8 });
    expect(i686.structs[0]).toMatchObject({ name: "Point", align: 4 });
    expect(i686.structs[1].size).not.toBe(x64.structs[1].size);
    expect(i686.structs[1].fingerprint).not.toBe(x64.structs[1].fingerprint);
  });

  test("an unknown --target is a usage error listing the choices", async () => {
    const { code, stderr } = await shmkit(["layout", SHARED, "--target", "sparc"]);
    expect(code).toBe(2);
    expect(stderr).toContain("argument 'sparc' is invalid. Allowed choices are x86_64-linux-gnu");
  });

  test("an unknown --struct exits 2 and names what the module exports", async () => {
    const { code, stderr } = await shmkit(["layout", SHARED, "--struct", "Nope"]);
    expect(code).toBe(2);
    expect(stderr).toContain("Nope: no such struct or union in");
    expect(stderr).toContain("(it exports: Point, Shared)");
  });

  test("a schema with a syntax error shows the error at file:line:col and exits 2", async () => {
    using dir = tempDir("broken");
    // Written at test time: a file with a syntax error cannot live in the type-checked test tree.
    await Bun.write(
      `${dir.path}/broken-syntax.schema.ts`,
      'import { struct, t } from "@shmkit/layout-gen";\n\nexport const Broken = struct("Broken", {\n  a: t.i32,\n  b: (,\n});\n',
    );
    const { code, stderr } = await shmkit(["layout", "broken-syntax.schema.ts"], { cwd: dir.path });
    expect(code).toBe(2);
    expect(stderr).toContain("broken-syntax.schema.ts:5:7: error: Unexpected ,");
    expect(stderr).toContain("  b: (,");
  });

  test("a schema error thrown while the module loads shows the schema's line and the struct and field", async () => {
    const { code, stderr } = await shmkit(["layout", "pointer.schema.ts"], { cwd: SCHEMAS });
    expect(code).toBe(2);
    expect(stderr).toMatch(/pointer\.schema\.ts:3:\d+: SchemaError: Node\.next: /);
  });

  test("a module without structs, or a missing file, exits 2 with a message", async () => {
    const empty = await shmkit(["layout", `${SCHEMAS}/empty.schema.ts`]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain("exports no struct or union");
    const missing = await shmkit(["layout", "no-such.schema.ts"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no-such.schema.ts: no such file");
  });
});
