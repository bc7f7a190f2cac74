import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ShmError, type TypedClass, type TypedSegment } from "@shmkit/core";
import { hostTarget } from "@shmkit/core/targets";
import { emitCHeader, emitTypeScript } from "../../src/emit/index.ts";
import { layoutOf, type StructLayout, struct, t } from "../../src/index.ts";
import { cleanUpSegments, run, tempDir, uniqueName } from "./helpers.ts";

cleanUpSegments();

// A 32-bit C program and this 64-bit process on one typed segment. The i686 program is linked statically, so it
// needs no i386 libraries; it runs where the kernel runs i686 programs (an x86_64 kernel with IA-32 emulation, also
// under qemu-aarch64); elsewhere these tests skip, saying so.
const I686_CC = Bun.which("i686-linux-gnu-gcc");
const canRunI686 = (() => {
  if (!I686_CC) return false;
  const dir = tempDir();
  try {
    const src = join(dir, "probe.c");
    writeFileSync(src, "int main(void) { return sizeof(void *) == 4 ? 0 : 1; }\n");
    const built = Bun.spawnSync([I686_CC, "-static", "-o", join(dir, "probe"), src]);
    return built.exitCode === 0 && Bun.spawnSync([join(dir, "probe")]).exitCode === 0;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
})();

// Fixed-width fields that both targets place alike, although i686 aligns u64 and f64 members to 4, not 8.
const Tick = struct("Tick", {
  seq: t.u64,
  price: t.f64,
  qty: t.i32,
  hits: t.atomic(t.u32),
  symbol: t.char(16),
});
// `b` is at 4 on i686 and at 8 on the 64-bit targets.
const Moves = struct("Moves", { a: t.u32, b: t.u64, c: t.u32 });

/**
 * `prog create NAME`: makes NAME a typed segment holding the struct, the way Struct.create() does, with the
 * header's describe function, and sets its fields with `fill`. `prog check NAME`: opens it and prints what `show`
 * prints, after checking the header as a C reader should.
 */
function program(struct: string, fill: string, show: string): string {
  const upper = struct.toUpperCase();
  const lower = struct.toLowerCase();
  return `#define _GNU_SOURCE
#include "types.h"
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
int main(int argc, char **argv) {
  if (argc != 3) return 2;
  const size_t size = ${upper}_DATA_OFFSET + sizeof(${struct});
  int create = strcmp(argv[1], "create") == 0;
  int fd = shm_open(argv[2], create ? O_CREAT | O_EXCL | O_RDWR : O_RDWR, 0600);
  if (fd < 0) { perror("shm_open"); return 3; }
  if (create && ftruncate(fd, (off_t)size) != 0) { perror("ftruncate"); return 4; }
  char *base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  close(fd);
  if (base == MAP_FAILED) { perror("mmap"); return 5; }
  shmkit_segment_header *h = (shmkit_segment_header *)base;
  ${struct} *s = (${struct} *)(base + ${upper}_DATA_OFFSET);
  if (create) {
    uint32_t expected = 0;
    if (!atomic_compare_exchange_strong(&h->ready, &expected, 1)) return 6;
    ${fill}
    ${lower}_describe_header(h);
    h->magic = SHMKIT_MAGIC;
    atomic_store(&h->ready, SHMKIT_READY);
    syscall(SYS_futex, &h->ready, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    printf("%u\\n", (unsigned)sizeof(void *));
    return 0;
  }
  if (h->magic != SHMKIT_MAGIC || h->version != SHMKIT_FORMAT_VERSION || atomic_load(&h->ready) != SHMKIT_READY) return 7;
  if (strcmp(h->fingerprint, ${upper}_FINGERPRINT) != 0 || h->data_offset != ${upper}_DATA_OFFSET) return 8;
  ${show}
  return 0;
}
`;
}

async function build(dir: string, layout: StructLayout, source: string): Promise<string> {
  await Bun.write(join(dir, "types.h"), emitCHeader([layout], { schemaPath: "cross.schema.ts" }));
  await Bun.write(join(dir, "prog.c"), source);
  const out = join(dir, "prog");
  const r = await run(
    [I686_CC as string, "-std=c11", "-Wall", "-Wextra", "-Werror", "-static", "-o", out, join(dir, "prog.c")],
    { timeoutMs: 60_000 },
  );
  if (r.exitCode !== 0) throw new Error(`i686-linux-gnu-gcc failed:\n${r.stderr}`);
  return out;
}

/** This host's accessors for `layout`, generated and imported as an application would. */
async function accessors(dir: string, layout: StructLayout): Promise<TypedClass<Record<string, unknown>>> {
  const file = join(dir, `${layout.name}.generated.ts`);
  const core = join(import.meta.dir, "../../../core/src/runtime.ts");
  await Bun.write(file, emitTypeScript([layout], { schemaPath: "cross.schema.ts", coreModule: core }));
  const mod = (await import(file)) as Record<string, TypedClass<Record<string, unknown>>>;
  return mod[layout.name] as TypedClass<Record<string, unknown>>;
}

interface Opener {
  open(name: string, options: { timeoutMs: number }): TypedSegment<Record<string, unknown>>;
}

describe.skipIf(!canRunI686)(
  `typed segments between an i686 C program and this 64-bit process${canRunI686 ? "" : " (skipped: no i686-linux-gnu-gcc, or this kernel does not run i686 programs)"}`,
  () => {
    let dir = "";
    beforeAll(() => {
      dir = tempDir();
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test("a layout both targets place alike has one fingerprint, and the segment is shared both ways", async () => {
      const i686 = layoutOf(Tick, { target: "i686-linux-gnu" });
      const here = layoutOf(Tick, { target: hostTarget().name });
      expect(i686.align).toBe(4);
      expect(here.align).toBe(8);
      expect(i686.fingerprint).toBe(here.fingerprint);
      const prog = await build(
        dir,
        i686,
        program(
          "Tick",
          's->seq = 0x123456789ULL; s->price = 101.25; s->qty = -7; atomic_store(&s->hits, 1); strcpy(s->symbol, "ABC");',
          'printf("%s %u %d\\n", h->target, atomic_load(&s->hits), s->qty);',
        ),
      );
      const name = uniqueName("i686-tick");
      const made = await run([prog, "create", name]);
      expect(made.stderr).toBe("");
      expect(made.exitCode).toBe(0);
      expect(made.stdout).toBe("4\n"); // a 32-bit program indeed
      const Generated = (await accessors(dir, here)) as unknown as Opener;
      using shm = Generated.open(name, { timeoutMs: 5000 });
      const d = shm.data as {
        seq: bigint;
        price: number;
        qty: number;
        symbol: string;
        hits: { add(n: number): number };
      };
      expect([d.seq, d.price, d.qty, d.symbol]).toEqual([0x123456789n, 101.25, -7, "ABC"]);
      d.hits.add(41);
      d.qty = 12;
      const checked = await run([prog, "check", name]);
      expect(checked.stderr).toBe("");
      expect(checked.exitCode).toBe(0);
      expect(checked.stdout).toBe("i686-linux-gnu 42 12\n");
    }, 120_000);

    test("a layout that differs is refused, naming both targets and the first field that differs", async () => {
      const i686 = layoutOf(Moves, { target: "i686-linux-gnu" });
      const here = layoutOf(Moves, { target: hostTarget().name });
      expect(i686.fingerprint).not.toBe(here.fingerprint);
      const prog = await build(dir, i686, program("Moves", "s->a = 1; s->b = 2; s->c = 3;", ""));
      const name = uniqueName("i686-moves");
      const made = await run([prog, "create", name]);
      expect(made.stderr).toBe("");
      expect(made.exitCode).toBe(0);
      const Generated = (await accessors(dir, here)) as unknown as Opener;
      let error: unknown;
      try {
        Generated.open(name, { timeoutMs: 5000 }).close();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ShmError);
      expect((error as ShmError).code).toBe("EFINGERPRINT");
      const message = (error as ShmError).message;
      expect(message).toContain(
        `struct Moves laid out for i686-linux-gnu with fingerprint ${i686.fingerprint}`,
      );
      expect(message).toContain(
        `expects Moves laid out for ${here.target} with fingerprint ${here.fingerprint}`,
      );
      expect(message).toContain(`field b is at offset 8 on ${here.target} and 4 on i686-linux-gnu`);
    }, 120_000);
  },
);
