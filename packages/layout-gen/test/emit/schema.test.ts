import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { Segment, ShmArgumentError } from "@shmkit/core";
import { generate } from "../../src/emit/index.ts";
import { layoutOf } from "../../src/index.ts";
import { generatedShared } from "./fixtures/generate.ts";
import { HOST_TARGET, hostFiles, hostShared, ROBUST_IF_SUPPORTED } from "./fixtures/host.ts";
import * as aarch64 from "./fixtures/shared.aarch64-linux-gnu.generated.ts";
import * as schema from "./fixtures/shared.schema.ts";
import * as x86_64 from "./fixtures/shared.x86_64-linux-gnu.generated.ts";
import { FIXTURE_TARGETS, snapshotFiles } from "./fixtures/targets.ts";
import { CC, cleanUpSegments, compileC, FIXTURES, run, tempDir, uniqueName } from "./helpers.ts";

cleanUpSegments();

// The host's accessors and, for the C program, the host's header (cc builds for the host).
const { Samples, Shared, State, Wire } = hostShared;

describe("generate() from a DSL schema", () => {
  for (const target of FIXTURE_TARGETS) {
    const files = snapshotFiles(target);
    test(`output equals the checked-in ${files.sharedTs} and ${files.sharedH}`, async () => {
      const out = generatedShared(target);
      expect(out.typescript).toBe(await Bun.file(`${FIXTURES}/${files.sharedTs}`).text());
      expect(out.header).toBe(await Bun.file(`${FIXTURES}/${files.sharedH}`).text());
    });
  }

  test("emits every exported struct with layoutOf's size and fingerprint", () => {
    const out = generate(schema, { schemaPath: "s.ts", target: HOST_TARGET });
    expect(out.layouts.map((l) => l.name)).toEqual(["Point", "Samples", "Shared", "Wire"]);
    const shared = layoutOf(schema.Shared, { target: HOST_TARGET });
    expect(Shared.TARGET).toBe(HOST_TARGET);
    expect(Shared.SIZE).toBe(shared.size);
    expect(Shared.FINGERPRINT).toBe(shared.fingerprint);
    expect(out.header).toContain(`#define SHARED_FINGERPRINT "${shared.fingerprint}"`);
  });

  test("each checked-in module has its own target, layoutOf size and fingerprint", () => {
    for (const [mod, target] of [
      [x86_64, "x86_64-linux-gnu"],
      [aarch64, "aarch64-linux-gnu"],
    ] as const) {
      const shared = layoutOf(schema.Shared, { target });
      expect([mod.Shared.TARGET, mod.Shared.SIZE, mod.Shared.FINGERPRINT]).toEqual([
        target,
        shared.size,
        shared.fingerprint,
      ]);
    }
    expect(aarch64.Shared.SIZE).toBeGreaterThan(x86_64.Shared.SIZE);
  });

  test("another target gives another fingerprint and a header that refuses the wrong compiler", () => {
    const arm = generate(schema, { schemaPath: "s.ts", target: "aarch64-linux-gnu" });
    expect(arm.layouts.find((l) => l.name === "Shared")?.fingerprint).not.toBe(x86_64.Shared.FINGERPRINT);
    expect(arm.header).toContain("#if !defined(__aarch64__) || !defined(__linux__)");
    expect(arm.typescript).toContain('static readonly TARGET = "aarch64-linux-gnu";');
    const x64 = generate(schema, { schemaPath: "s.ts", target: "x86_64-linux-gnu" });
    expect(x64.layouts.find((l) => l.name === "Shared")?.fingerprint).not.toBe(aarch64.Shared.FINGERPRINT);
    expect(x64.header).toContain("#if !defined(__x86_64__) || !defined(__linux__)");
    expect(x64.typescript).toContain('static readonly TARGET = "x86_64-linux-gnu";');
  });
});

const C_PROGRAM = `
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "${hostFiles.sharedH}"
int main(int argc, char **argv) {
  (void)argc;
  int fd = shm_open(argv[1], O_RDWR, 0);
  if (fd < 0) return 2;
  char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return 3;
  if (strcmp(argv[2], "typed") == 0) {
    shmkit_segment_header *h = (shmkit_segment_header *)p;
    if (h->magic != SHMKIT_MAGIC || atomic_load(&h->ready) != SHMKIT_READY) return 4;
    if (strcmp(h->fingerprint, SHARED_FINGERPRINT) != 0) return 5;
    Shared *s = (Shared *)(p + SHARED_DATA_OFFSET);
    if (pthread_mutex_lock(&s->mutex) != 0) return 6;
    printf("%s %d %d %u\\n", s->label, s->grid[1][2], (int)s->state, s->flags);
    s->total = 18446744073709551000ULL;
    s->grid[0][1] = -300;
    s->state = STATE_IDLE;
    pthread_mutex_unlock(&s->mutex);
  } else {
    Wire *w = (Wire *)(p + 3);
    w->tag = 9; w->len = 123456789u; w->origin.y = -0.5; w->lo = 31; w->hi = 300;
  }
  return 0;
}
`;

// Native interop: skipped where no C compiler is installed.
describe.skipIf(!CC)("the schema's C header and TypeScript accessors agree", () => {
  let dir = "";
  let prog = "";
  beforeAll(async () => {
    dir = tempDir();
    prog = await compileC(dir, C_PROGRAM, "shared");
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("the header compiles with -Wall -Werror (every layoutOf offset asserted by gcc)", async () => {
    await Bun.write(join(dir, "h.c"), `#include "${hostFiles.sharedH}"\n`);
    const r = await run([
      CC as string,
      "-std=c11",
      "-Wall",
      "-Werror",
      `-I${FIXTURES}`,
      "-c",
      join(dir, "h.c"),
      "-o",
      join(dir, "h.o"),
    ]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
  }, 60_000);

  test("a typed segment made by TypeScript is checked, locked, read and written by C", async () => {
    const name = uniqueName("schema-typed");
    using shm = Shared.create(name, {
      robust: ROBUST_IF_SUPPORTED,
      init: (s) => {
        s.label = "schema";
        s.grid.get(1)[2] = 77;
        s.state = State.BUSY;
        s.flags = 6;
      },
    });
    const r = await run([prog, name, "typed"]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("schema 77 1 6\n");
    expect(shm.data.total).toBe(18446744073709551000n);
    expect(shm.data.grid.get(0)[1]).toBe(-300);
    expect(shm.data.state).toBe(State.IDLE);
  }, 60_000);

  test("a packed struct written by C at an odd offset reads back through the generated accessors", async () => {
    const name = uniqueName("schema-packed");
    using seg = Segment.create(name, { size: 4096 });
    const r = await run([prog, name, "raw"]);
    expect(r.exitCode).toBe(0);
    const w = Wire.attach(seg, 3);
    expect([w.tag, w.len, w.origin.y, w.lo, w.hi]).toEqual([9, 123456789, -0.5, 31, 300]);
  }, 60_000);
});

describe("flexible array members", () => {
  test("create() with trailingBytes gives the flexible array that many bytes, and open() sees them", () => {
    const name = uniqueName("flex");
    using shm = Samples.create(name, {
      trailingBytes: 10 * 8,
      init: (s) => {
        s.count = 10;
        s.values[9] = 4.5;
      },
    });
    expect(shm.data.values.length).toBe(10);
    using other = Samples.open(name, { timeoutMs: 1000 });
    expect(other.data.count).toBe(10);
    expect(other.data.values.length).toBe(10);
    expect(other.data.values[9]).toBe(4.5);
  });

  test("a negative trailingBytes is an argument error and creates nothing", () => {
    const name = uniqueName("flex-bad");
    expect(() => Samples.create(name, { trailingBytes: -8 })).toThrow(ShmArgumentError);
    expect(Segment.exists(name)).toBe(false);
  });
});
