import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { hostTarget } from "@shmkit/core/targets";
import { hostMusl, shmkit, tempDir } from "./helpers.ts";

const FIXTURES = `${import.meta.dir}/fixtures`;
const ORDER_SCHEMA = `${FIXTURES}/schemas/order.schema.ts`;
const ORDER_H = readFileSync(`${FIXTURES}/headers/order.h`, "utf8");
const HAS_CLANG = Bun.which("clang") !== null;
const CLANG_MISSING = "clang is not installed (scripts/install-toolchains.sh installs it)";

/** The 1-based line of the first line of `text` that contains `needle`, as verify reports it. */
function lineOf(text: string, needle: string): number {
  const index = text.split("\n").findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in header`);
  return index + 1;
}

/** Writes `order.h` with one edit into a fresh directory and verifies the Order schema against it. */
async function verifyEdited(edit: (header: string) => string, extra: string[] = []) {
  using dir = tempDir("verify");
  const header = edit(ORDER_H);
  expect(header).not.toBe(ORDER_H);
  await Bun.write(`${dir.path}/order.h`, header);
  const result = await shmkit([
    "verify",
    ORDER_SCHEMA,
    "--header",
    `${dir.path}/order.h`,
    "--struct",
    "Order",
    ...extra,
  ]);
  return { ...result, header, lines: result.stdout.trimEnd().split("\n") };
}

describe.skipIf(!HAS_CLANG)(HAS_CLANG ? "shmkit verify" : `shmkit verify (skipped: ${CLANG_MISSING})`, () => {
  test("a matching header passes with exit 0 and a summary", async () => {
    const { code, stdout, stderr } = await shmkit([
      "verify",
      ORDER_SCHEMA,
      "--header",
      `${FIXTURES}/headers/order.h`,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(
      /^ok: 2 structs, 8 members checked against order\.h \((x86_64|aarch64)-linux-gnu, cc\)$/,
    );
  });

  test("size: a longer char array changes the member's and the struct's size", async () => {
    const r = await verifyEdited((h) => h.replace("char tag[8];", "char tag[16];"));
    expect(r.code).toBe(1);
    const at = lineOf(r.header, "char tag[16]");
    expect(r.lines).toEqual([
      `Order: size 40 in schema, 48 in order.h:${lineOf(r.header, "struct Order {")}`,
      `Order.tag: size 8 in schema, 16 in order.h:${at}`,
    ]);
    expect(r.stderr).toContain("2 problems: 1 struct, 6 members checked against order.h");
  });

  test("align: an aligned(16) attribute on the struct", async () => {
    const r = await verifyEdited((h) =>
      h.replace("  char tag[8];\n};", "  char tag[8];\n} __attribute__((aligned(16)));"),
    );
    expect(r.code).toBe(1);
    const at = lineOf(r.header, "struct Order {");
    expect(r.lines).toEqual([
      `Order: size 40 in schema, 48 in order.h:${at}`,
      `Order: align 8 in schema, 16 in order.h:${at}`,
    ]);
  });

  test("offset: an over-aligned member moves it and everything after it", async () => {
    const r = await verifyEdited((h) =>
      h.replace("int64_t qty;", "int64_t qty __attribute__((aligned(16)));"),
    );
    expect(r.code).toBe(1);
    const at = lineOf(r.header, "int64_t qty");
    expect(r.lines).toContain(`Order.qty: offset 8 in schema, 16 in order.h:${at}`);
    expect(r.lines).toContain(`Order.price: offset 16 in schema, 24 in order.h:${at + 1}`);
  });

  test("bit position: an unnamed bitfield in front shifts the bits", async () => {
    const r = await verifyEdited((h) =>
      h.replace("  uint8_t side : 1;", "  uint8_t : 2;\n  uint8_t side : 1;"),
    );
    expect(r.code).toBe(1);
    const at = lineOf(r.header, "uint8_t side");
    expect(r.lines).toEqual([
      `Order.side: bit position 24:0 in schema, 24:2 in order.h:${at}`,
      `Order.kind: bit position 24:1 in schema, 24:3 in order.h:${at + 1}`,
    ]);
  });

  test("bit width: a wider bitfield", async () => {
    const r = await verifyEdited((h) => h.replace("uint8_t kind : 3;", "uint8_t kind : 4;"));
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      `Order.kind: bit width 3 in schema, 4 in order.h:${lineOf(r.header, "kind : 4")}`,
    ]);
  });

  test("missing field: members on one side only are reported with their place", async () => {
    const r = await verifyEdited((h) =>
      h.replace("  double price;\n", "").replace("char tag[8];", "char tag[8];\n  int note;"),
    );
    expect(r.code).toBe(1);
    // In member order: the schema's missing member where it would be, the header's extra one after the rest.
    // Without price, the members after it move up 8 bytes too.
    const struct = lineOf(r.header, "struct Order {");
    expect(r.lines).toEqual([
      `Order: size 40 in schema, 32 in order.h:${struct}`,
      `Order.price: in schema, not in struct Order (order.h:${struct})`,
      `Order.side: bit position 24:0 in schema, 16:0 in order.h:${lineOf(r.header, "side : 1")}`,
      `Order.kind: bit position 24:1 in schema, 16:1 in order.h:${lineOf(r.header, "kind : 3")}`,
      `Order.tag: offset 25 in schema, 17 in order.h:${lineOf(r.header, "char tag[8]")}`,
      `Order.note: in order.h:${lineOf(r.header, "int note;")}, not in schema`,
    ]);
  });

  test("a bitfield on one side only is a problem, not a compiler error", async () => {
    const r = await verifyEdited((h) => h.replace("uint32_t id;", "uint32_t id : 32;"));
    expect(r.code).toBe(1);
    expect(r.lines).toContain(
      `Order.id: not a bitfield in schema, a 32-bit bitfield in order.h:${lineOf(r.header, "id : 32")}`,
    );
  });

  test("a struct missing from the header", async () => {
    const r = await verifyEdited((h) => h.replace("struct Order {", "struct Other {"));
    expect(r.code).toBe(1);
    expect(r.lines).toEqual(["Order: in schema, not in order.h"]);
  });

  test("a header member of a type no schema can hold (a pointer) is still measured where the schema has a u64", async () => {
    using dir = tempDir("pointer");
    await Bun.write(
      `${dir.path}/node.h`,
      "#include <stdint.h>\nstruct node {\n  int32_t value;\n  struct node *next;\n  uint32_t flags;\n};\n",
    );
    const schema = `${import.meta.dir}/fixtures/schemas/node.schema.ts`;
    const ok = await shmkit(["verify", schema, "--header", `${dir.path}/node.h`]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
  });

  test("--json lists the problems with kind, both values and the place", async () => {
    const r = await verifyEdited((h) => h.replace("uint8_t kind : 3;", "uint8_t kind : 4;"), ["--json"]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ ok: false, structs: ["Order"], members: 6 });
    expect(json.problems).toEqual([
      {
        path: "Order.kind",
        kind: "bit-width",
        schema: 3,
        header: 4,
        where: `order.h:${lineOf(r.header, "kind : 4")}`,
        message: `Order.kind: bit width 3 in schema, 4 in order.h:${lineOf(r.header, "kind : 4")}`,
      },
    ]);
  });

  test("a header that does not compile exits 2 with the compiler's message", async () => {
    const r = await verifyEdited((h) => h.replace("double price;", "double price"));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("order.h");
    expect(r.stderr).toContain("expected ';' at end of declaration list");
  });

  test("a failing C compiler exits 2 and shows what it said", async () => {
    using dir = tempDir("fakecc");
    const fake = `${dir.path}/fake-cc`;
    await Bun.write(fake, '#!/bin/sh\necho "fake-cc: error: this compiler refuses everything" >&2\nexit 3\n');
    await Bun.spawn(["chmod", "+x", fake]).exited;
    const r = await shmkit(["verify", ORDER_SCHEMA, "--header", `${FIXTURES}/headers/order.h`, "--cc", fake]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("failed (exit 3)");
    expect(r.stderr).toContain("fake-cc: error: this compiler refuses everything");
  });

  test("a compiler that is not installed exits 2 and says how to get it", async () => {
    const r = await shmkit([
      "verify",
      ORDER_SCHEMA,
      "--header",
      `${FIXTURES}/headers/order.h`,
      "--cc",
      "no-such-cc",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no-such-cc not found: install the compiler for");
  });

  test("a target with no packaged compiler needs --cc (exit 2), rather than a guess with the host's headers", async () => {
    const r = await shmkit([
      "verify",
      ORDER_SCHEMA,
      "--header",
      `${FIXTURES}/headers/order.h`,
      "--target",
      "aarch64-apple-darwin",
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "no packaged C compiler for aarch64-apple-darwin is known; name one with --cc",
    );
  });

  test("--header is required", async () => {
    const r = await shmkit(["verify", ORDER_SCHEMA]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '--header <file>' not specified");
  });
});

const CROSS: { target: string; cc: string; missing?: string | undefined }[] = [
  { target: "aarch64-linux-gnu", cc: "aarch64-linux-gnu-gcc" },
  { target: "i686-linux-gnu", cc: "i686-linux-gnu-gcc" },
  // musl-gcc (Debian musl-tools) is the default compiler for the host architecture's musl.
  hostMusl(),
];

for (const { target, cc, missing: unusable } of CROSS) {
  const missing =
    unusable ?? (Bun.which(cc) === null ? `${cc} is not installed` : !HAS_CLANG ? CLANG_MISSING : undefined);
  describe.skipIf(missing !== undefined)(
    `shmkit verify --target ${target}${missing ? ` (skipped: ${missing})` : ""}`,
    () => {
      test("the seed-000 style struct with pthread types agrees with the cross compiler", async () => {
        const r = await shmkit([
          "verify",
          `${FIXTURES}/schemas/shared.schema.ts`,
          "--header",
          `${FIXTURES}/headers/shared.h`,
          "--target",
          target,
        ]);
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
        // verify's default compiler for the host's own target is cc (on an aarch64 host, for aarch64-linux-gnu).
        const used = target === hostTarget().name ? "cc" : cc;
        expect(r.stdout.trim()).toBe(
          `ok: 2 structs, 14 members checked against shared.h (${target}, ${used})`,
        );
      });

      test("a pointer member where the schema keeps a u64 offset: same width on LP64, not on ILP32", async () => {
        using dir = tempDir("pointer");
        const header =
          "#include <stdint.h>\nstruct node {\n  int32_t value;\n  struct node *next;\n  uint32_t flags;\n};\n";
        await Bun.write(`${dir.path}/node.h`, header);
        const r = await shmkit([
          "verify",
          `${FIXTURES}/schemas/node.schema.ts`,
          "--header",
          `${dir.path}/node.h`,
          "--target",
          target,
        ]);
        if (target === "i686-linux-gnu") {
          expect(r.code).toBe(1);
          expect(r.stdout.trimEnd().split("\n")).toEqual([
            "node: size 16 in schema, 12 in node.h:2",
            "node.next: size 8 in schema, 4 in node.h:4",
            "node.flags: offset 12 in schema, 8 in node.h:5",
          ]);
        } else {
          expect(r.code).toBe(0);
        }
      });

      test("long against int64_t agrees on LP64 and not on ILP32", async () => {
        const r = await shmkit([
          "verify",
          ORDER_SCHEMA,
          "--header",
          `${FIXTURES}/headers/order.h`,
          "--struct",
          "Wide",
          "--target",
          target,
        ]);
        const at = lineOf(ORDER_H, "int64_t a;");
        if (target === "i686-linux-gnu") {
          expect(r.code).toBe(1);
          expect(r.stdout.trimEnd().split("\n")).toEqual([
            `Wide: size 8 in schema, 12 in order.h:${lineOf(ORDER_H, "struct Wide {")}`,
            `Wide.a: size 4 in schema, 8 in order.h:${at}`,
            `Wide.b: offset 4 in schema, 8 in order.h:${at + 1}`,
          ]);
        } else {
          expect(r.code).toBe(0);
        }
      });
    },
  );
}
