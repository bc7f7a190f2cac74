import { describe, expect, test } from "bun:test";
import { truncateSync } from "node:fs";
import { Segment } from "@shmkit/core";
import { fieldNameHash } from "@shmkit/core/runtime";
import { hostTarget } from "@shmkit/core/targets";
import { FIXTURES, ME, readUntil, run, SHMKIT, shmkit, tempDir, uniqueName } from "./helpers.ts";

describe("shmkit inspect", () => {
  test("prints a hex dump with an ASCII column and collapses repeated lines", async () => {
    const name = uniqueName("hex");
    using seg = Segment.create(name, { size: 100 });
    seg.bytes.set(new TextEncoder().encode("hello"), 0);
    seg.bytes[40] = 0x07;
    const { code, stdout, stderr } = await shmkit(["inspect", name]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `${name}  100 bytes  mode 0600  owner ${ME}`,
        "00000000  68 65 6c 6c 6f 00 00 00  00 00 00 00 00 00 00 00  |hello...........|",
        "00000010  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
        "00000020  00 00 00 00 00 00 00 00  07 00 00 00 00 00 00 00  |................|",
        "00000030  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
        "*",
        "00000060  00 00 00 00                                       |....|",
        "00000064",
        "",
      ].join("\n"),
    );
  });

  test("--offset and --length pick a range, and --json gives it as hex", async () => {
    const name = uniqueName("range");
    using seg = Segment.create(name, { size: 256 });
    seg.bytes.set([0xde, 0xad, 0xbe, 0xef], 0x40);
    const json = await shmkit(["inspect", name.slice(1), "--offset", "0x3e", "--length", "8", "--json"]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      name,
      size: 256,
      mode: "0600",
      offset: 0x3e,
      length: 8,
      hex: "0000deadbeef0000",
    });
    const text = await shmkit(["inspect", name, "--offset", "64", "--length", "4"]);
    expect(text.stdout).toContain("showing 4 bytes from offset 64");
    expect(text.stdout).toContain("00000040  de ad be ef");
  });

  test("of a typed segment shows its header and dumps the struct after it", async () => {
    const name = uniqueName("typed");
    const made = await run([process.execPath, `${FIXTURES}/typed-counter.ts`, name]);
    expect(made.exitCode).toBe(0);
    const { code, stdout } = await shmkit(["inspect", name]);
    expect(code).toBe(0);
    expect(stdout.split("\n").slice(1)).toEqual([
      `typed segment: struct Counter for ${hostTarget().name}  fingerprint c0ffee0123456789abcdef0123456789  format 2  ready`,
      "  the struct is 16 bytes at offset 208; give --schema FILE to decode it field by field",
      "000000d0  04 03 02 01 00 00 00 00  00 00 00 00 00 00 00 00  |................|",
      "000000e0",
      "",
    ]);
    const json = JSON.parse((await shmkit(["inspect", name, "--json"])).stdout);
    expect(json).toMatchObject({ offset: 208, length: 16, hex: "04030201000000000000000000000000" });
    expect(json.typed).toMatchObject({
      struct: "Counter",
      ready: "ready",
      dataSize: 16,
      target: hostTarget().name,
      fields: [{ nameHash: fieldNameHash("count"), offset: 0, size: 4, typeHash: 0x1234 }],
    });
    // An explicit range still shows the raw header.
    const raw = JSON.parse((await shmkit(["inspect", name, "--json", "--length", "4"])).stdout);
    expect(raw.hex).toBe("53484d4b");
  });

  test("--schema --struct decodes a struct that a C program wrote, bitfields included", async () => {
    using dir = tempDir("cwriter");
    const exe = `${dir.path}/write-order`;
    const cc = await run(["cc", "-Wall", "-Werror", "-o", exe, `${FIXTURES}/write-order.c`, "-lrt"]);
    expect(cc.stderr).toBe("");
    expect(cc.exitCode).toBe(0);
    const name = uniqueName("corder");
    const wrote = await run([exe, name]);
    expect(wrote.stderr).toBe("");
    expect(wrote.exitCode).toBe(0);
    const schema = `${FIXTURES}/schemas/order.schema.ts`;
    const json = await shmkit(["inspect", name, "--schema", schema, "--struct", "Order", "--json"]);
    expect(json.stderr).toBe("");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      typed: null,
      offset: 0,
      length: 40,
      struct: "Order",
      values: { id: 4242, qty: "-9000000000", price: 101.25, side: 1, kind: 5, tag: "AAPL" },
    });
    const text = await shmkit(["inspect", name, "--schema", schema, "--struct", "Order"]);
    expect(text.stdout).toContain("  qty    int64_t    @8     -9000000000\n");
    expect(text.stdout).toContain("  kind   uint8_t:3  @24:1  5\n");
    // Without --struct the schema's two structs are ambiguous for a segment with no header.
    const ambiguous = await shmkit(["inspect", name, "--schema", schema]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain("exports Order, Wide: name one with --struct");
    // A struct bigger than the segment is refused before any read.
    const tooSmall = await shmkit([
      "inspect",
      name,
      "--schema",
      schema,
      "--struct",
      "Order",
      "--offset",
      "8",
    ]);
    expect(tooSmall.code).toBe(1);
    expect(tooSmall.stderr).toContain(`${name} has 40 bytes, too few for Order (40 bytes) at offset 8`);
  }, 60_000);

  test("--schema --json shows a long double as its bytes and leaves the hex dump as the segment holds it", async () => {
    const name = uniqueName("ext");
    using seg = Segment.create(name, { size: 32 });
    const pattern = Uint8Array.from({ length: 32 }, (_, i) => i + 1);
    seg.bytes.set(pattern);
    const r = await shmkit(["inspect", name, "--schema", `${FIXTURES}/schemas/ext.schema.ts`, "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout) as { hex: string; values: { x: string } };
    expect(json.hex).toBe(Buffer.from(pattern).toString("hex"));
    // Most significant byte first, as a debugger prints it: bytes 16… of the struct, reversed.
    const bytes = process.arch === "x64" ? 10 : 16;
    expect(json.values.x).toBe(`0x${Buffer.from(pattern.slice(16, 16 + bytes).reverse()).toString("hex")}`);
  });

  test("--watch --schema --json prints one decoded frame per change", async () => {
    const name = uniqueName("watchschema");
    using seg = Segment.create(name, { size: 40 });
    const dv = new DataView(seg.buffer);
    dv.setUint32(0, 1, true);
    const child = Bun.spawn(
      [
        ...SHMKIT,
        "inspect",
        name,
        "--schema",
        `${FIXTURES}/schemas/order.schema.ts`,
        "--struct",
        "Order",
        "--json",
        "--watch",
        "--interval",
        "50",
      ],
      {
        stdout: "pipe",
        stderr: "pipe",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 60_000,
        killSignal: "SIGKILL",
      },
    );
    try {
      const reader = child.stdout.getReader();
      const out = { text: "" };
      await readUntil(reader, out, (t) => t.includes("\n"));
      expect(JSON.parse(out.text.split("\n")[0] ?? "").values).toMatchObject({ id: 1, kind: 0 });
      dv.setUint32(0, 4243, true);
      seg.bytes[24] = 0b1010; // side = 0, kind = 5
      await readUntil(reader, out, (t) =>
        t.split("\n").some((l) => l.includes('"id":4243') && l.includes('"kind":5')),
      );
      child.kill("SIGINT");
      expect(await child.exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  }, 90_000);

  test("--watch --schema says so, without crashing, when another process truncates the segment", async () => {
    const name = uniqueName("shrink");
    Segment.create(name, { size: 40 }).close();
    const child = Bun.spawn(
      [
        ...SHMKIT,
        "inspect",
        name,
        "--schema",
        `${FIXTURES}/schemas/order.schema.ts`,
        "--struct",
        "Order",
        "--watch",
        "--interval",
        "50",
      ],
      {
        stdout: "pipe",
        stderr: "pipe",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 60_000,
        killSignal: "SIGKILL",
      },
    );
    try {
      const reader = child.stdout.getReader();
      const out = { text: "" };
      await readUntil(reader, out, (t) => t.includes("  tag "));
      truncateSync(`/dev/shm${name}`, 8);
      await readUntil(reader, out, (t) =>
        t.includes("only 8 of the struct's 40 bytes are left: the segment was truncated"),
      );
      child.kill("SIGINT");
      expect(await child.exited).toBe(0);
      expect(child.signalCode).toBeNull();
    } finally {
      child.kill("SIGKILL");
    }
  }, 90_000);

  test("--schema refuses a typed segment whose fingerprint differs from the schema's layout", async () => {
    const name = uniqueName("fpr");
    const made = await run([process.execPath, `${FIXTURES}/typed-counter.ts`, name]);
    expect(made.exitCode).toBe(0);
    const { code, stderr, stdout } = await shmkit([
      "inspect",
      name,
      "--schema",
      `${FIXTURES}/schemas/order.schema.ts`,
      "--struct",
      "Wide",
    ]);
    expect(stdout).toBe("");
    expect(code).toBe(1);
    const target = hostTarget().name;
    expect(stderr).toContain(
      `${name} holds Counter laid out for ${target} with fingerprint c0ffee0123456789abcdef0123456789, but`,
    );
    expect(stderr).toContain("it is another struct (Counter, not Wide), so its bytes would be misread");
    // The same struct name with another layout: the first field that differs, from the segment's field table.
    const same = await shmkit(["inspect", name, "--schema", `${FIXTURES}/schemas/counter.schema.ts`]);
    expect(same.code).toBe(1);
    expect(same.stderr).toContain(`field count is 8 bytes on ${target} and 4 on the segment's ${target}`);
  });

  test("shows the first 64 KiB of a big segment unless --length asks for more", async () => {
    const name = uniqueName("big");
    using seg = Segment.create(name, { size: 1 << 20 });
    seg.bytes[(1 << 20) - 1] = 0xff;
    const first = JSON.parse((await shmkit(["inspect", name, "--json"])).stdout);
    expect(first).toMatchObject({ size: 1 << 20, offset: 0, length: 65536 });
    const text = await shmkit(["inspect", name]);
    expect(text.stdout).toContain(
      `${name}  1048576 bytes  mode 0600  owner ${ME}  showing 65536 bytes from offset 0`,
    );
    const all = JSON.parse((await shmkit(["inspect", name, "--json", "--length", String(1 << 20)])).stdout);
    expect(all.length).toBe(1 << 20);
    expect(all.hex.endsWith("ff")).toBe(true);
  });

  test("a missing segment fails with the errno, exit 1", async () => {
    const name = uniqueName("missing");
    const { code, stderr } = await shmkit(["inspect", name]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`shmkit inspect: shm_open(${name}): ENOENT (No such file or directory)`);
  });

  test("an empty segment (created but not sized) is an ESIZE error, not a crash", async () => {
    const name = uniqueName("empty");
    // ftruncate to 0 from this process, as a creator that has not sized it yet would leave it.
    const seg = Segment.create(name, { size: 64 });
    seg.close();
    truncateSync(`/dev/shm${name}`, 0);
    const { code, stderr } = await shmkit(["inspect", name]);
    expect(code).toBe(1);
    expect(stderr).toContain(`Segment.open(${name}): ESIZE (the segment is empty`);
  });

  test("a bad --offset is a usage error", async () => {
    const { code, stderr } = await shmkit(["inspect", "x", "--offset", "-1"]);
    expect(code).toBe(2);
    expect(stderr).toContain("must be a non-negative integer");
  });

  test(
    "--watch redraws when another process changes the segment and stops cleanly on SIGINT",
    async () => {
      const name = uniqueName("watch");
      using seg = Segment.create(name, { size: 32 });
      const child = Bun.spawn([...SHMKIT, "inspect", name, "--watch", "--interval", "50"], {
        stdout: "pipe",
        stderr: "pipe",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 60_000,
        killSignal: "SIGKILL",
      });
      try {
        const reader = child.stdout.getReader();
        const out = { text: "" };
        await readUntil(reader, out, (t) => t.includes("00000020"));
        expect(out.text).toContain("|................|");
        expect(out.text.match(/^-- /gm)?.length).toBe(1);
        seg.bytes.set(new TextEncoder().encode("CHANGED"), 0);
        await readUntil(reader, out, (t) => t.includes("|CHANGED.........|"));
        expect(out.text.match(/^-- /gm)?.length).toBe(2);
        child.kill("SIGINT");
        expect(await child.exited).toBe(0);
        reader.releaseLock();
        expect(await new Response(child.stderr).text()).toBe("");
      } finally {
        child.kill("SIGKILL");
      }
    },
    { timeout: 90_000 },
  );

  test(
    "--watch stops with exit 1 when the segment is unlinked",
    async () => {
      const name = uniqueName("watchgone");
      Segment.create(name, { size: 16 }).close();
      const child = Bun.spawn([...SHMKIT, "inspect", name, "--watch", "--interval", "50"], {
        stdout: "pipe",
        stderr: "pipe",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 60_000,
        killSignal: "SIGKILL",
      });
      try {
        const out = { text: "" };
        await readUntil(child.stdout.getReader(), out, (t) => t.includes("00000010"));
        Segment.unlink(name);
        expect(await child.exited).toBe(1);
        expect(await new Response(child.stderr).text()).toContain(`${name} was unlinked; stopped watching`);
      } finally {
        child.kill("SIGKILL");
      }
    },
    { timeout: 90_000 },
  );
});
