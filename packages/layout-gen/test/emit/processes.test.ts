import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { Segment, SHMKIT_FORMAT_VERSION, ShmError } from "@shmkit/core";
import { dataOffsetFor, HEADER, SHMKIT_MAGIC } from "@shmkit/core/runtime";
import { hostTarget } from "@shmkit/core/targets";
import { hostFiles, hostLayouts, ROBUST_IF_SUPPORTED } from "./fixtures/host.ts";
import { CC, cleanUpSegments, compileC, FIXTURES, run, tempDir, uniqueName } from "./helpers.ts";

cleanUpSegments();

// The host's accessors and, for the C programs, the host's header (cc builds for the host).
const { Kinds, Packed, Point, Shared, State } = hostLayouts;

function child(mode: string, name: string, arg?: string): ReturnType<typeof Bun.spawn> {
  return Bun.spawn(
    [process.execPath, `${FIXTURES}/child.ts`, mode, name, ...(arg === undefined ? [] : [arg])],
    {
      stdout: "pipe",
      stderr: "pipe",
      timeout: 30_000,
      killSignal: "SIGKILL",
    },
  );
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof ShmError) return error.code;
    throw error;
  }
  return undefined;
}

describe("typed segments across processes", () => {
  test("a round trip through generated accessors: the child sees the parent's init, the parent sees the child's writes", async () => {
    const name = uniqueName("roundtrip");
    using shm = Shared.create(name, {
      robust: ROBUST_IF_SUPPORTED,
      init: (s) => {
        s.label = "made by the parent";
        s.origin.x = -1;
        s.samples.set([1, 2, 3, 4, 5, 6, 7, 8]);
      },
    });
    const s = shm.data;
    const writer = child("writer", name);
    // Wait for the child's write with the struct's own mutex and condition variable (blocks this thread; the child
    // is another process, so it keeps running).
    s.mutex.withLock(() => {
      const deadline = Date.now() + 20_000;
      while (s.shared_resource !== 7 && Date.now() < deadline) s.cond.wait(s.mutex, { timeoutMs: 1000 });
    });
    const stdout = await new Response(writer.stdout as ReadableStream).text();
    expect(await writer.exited).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      label: "made by the parent",
      origin: -1,
      samples: [1, 2, 3, 4, 5, 6, 7, 8],
    });
    expect(s.shared_resource).toBe(7);
    expect(s.origin.x).toBe(1.5);
    expect(s.samples[3]).toBe(2.5);
    expect(s.flags).toBe(5);
    expect(s.state).toBe(State.BUSY);
    expect(s.label).toBe("from the child");
    expect(s.hits.load()).toBe(1);
  }, 60_000);

  test("open() waits until the creator has finished initialising, then sees its values", async () => {
    const name = uniqueName("slow");
    const creator = child("create-slow", name, "1500");
    try {
      const deadline = Date.now() + 20_000;
      while (!Segment.exists(name) && Date.now() < deadline) await Bun.sleep(10);
      using shm = Shared.open(name, { timeoutMs: 20_000 });
      expect(shm.data.label).toBe("initialised slowly");
      expect(shm.data.shared_resource).toBe(99);
    } finally {
      creator.kill("SIGKILL");
      await creator.exited;
    }
  }, 60_000);

  test("openAsync() waits for ready while the event loop keeps running", async () => {
    const name = uniqueName("slow-async");
    const creator = child("create-slow", name, "1000");
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    try {
      const deadline = Date.now() + 20_000;
      while (!Segment.exists(name) && Date.now() < deadline) await Bun.sleep(10);
      const ticksBefore = ticks;
      using shm = await Shared.openAsync(name, { timeoutMs: 20_000 });
      expect(shm.data.label).toBe("initialised slowly");
      // Timers fired during the wait: a blocking open() would have frozen them.
      expect(ticks).toBeGreaterThan(ticksBefore);
    } finally {
      clearInterval(timer);
      creator.kill("SIGKILL");
      await creator.exited;
    }
  }, 60_000);

  test("openAsync() of a segment nobody marks ready rejects with ENOTREADY", async () => {
    const name = uniqueName("notready-async");
    using raw = Segment.create(name, { size: 4096 });
    void raw;
    await expect(Shared.openAsync(name, { timeoutMs: 200 })).rejects.toThrow(/ENOTREADY/);
  });

  test("open() of a segment nobody marks ready fails with ENOTREADY after the time-out", () => {
    const name = uniqueName("notready");
    using raw = Segment.create(name, { size: 4096 });
    expect(codeOf(() => Shared.open(name, { timeoutMs: 200 }))).toBe("ENOTREADY");
    new DataView(raw.buffer).setUint32(HEADER.ready, 1, true); // "initialising", as if the creator died
    expect(() => Shared.open(name, { timeoutMs: 100 })).toThrow(/still initialising it, or died doing so/);
  });

  test("open() of a segment with another struct fails with EFINGERPRINT naming both fingerprints", () => {
    const name = uniqueName("fp");
    using point = Point.create(name);
    void point;
    let error: unknown;
    try {
      Shared.open(name, { timeoutMs: 1000 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShmError);
    expect((error as ShmError).code).toBe("EFINGERPRINT");
    const target = hostTarget().name;
    expect((error as ShmError).message).toContain(
      `struct Point laid out for ${target} with fingerprint fixture-point-v1`,
    );
    expect((error as ShmError).message).toContain(
      `expects Shared laid out for ${target} with fingerprint fixture-shared-v1: it is another struct (Point, not Shared)`,
    );
  });

  test("open() of a segment that is not a typed segment fails with EMAGIC at once, without waiting", () => {
    const name = uniqueName("magic");
    using raw = Segment.create(name, { size: 4096 });
    raw.bytes.set(new TextEncoder().encode("not a shmkit segment"));
    // A minute-long time-out: if open() waited instead of failing, the test's own time-out would fail it.
    expect(codeOf(() => Shared.open(name, { timeoutMs: 60_000 }))).toBe("EMAGIC");
  }, 30_000);

  test("open() refuses another header format version with EVERSION", () => {
    const name = uniqueName("version");
    using shm = Point.create(name);
    new DataView(shm.segment.buffer).setUint16(HEADER.version, 99, true);
    expect(codeOf(() => Point.open(name, { timeoutMs: 1000 }))).toBe("EVERSION");
  });

  test("open() of a segment too small for the header or the struct fails with ESIZE before touching fields", () => {
    const tiny = uniqueName("tiny");
    using a = Segment.create(tiny, { size: 16 });
    void a;
    expect(codeOf(() => Shared.open(tiny, { timeoutMs: 100 }))).toBe("ESIZE");
    // A well-formed header for Shared in a segment that stops short of the struct's end.
    const short = uniqueName("short");
    const dataOffset = dataOffsetFor(Shared.ALIGN, Shared.FIELDS.length);
    using b = Segment.create(short, { size: dataOffset + 10 });
    const dv = new DataView(b.buffer);
    dv.setUint16(HEADER.version, SHMKIT_FORMAT_VERSION, true);
    dv.setUint16(HEADER.dataOffset, dataOffset, true);
    dv.setUint32(HEADER.dataSize, Shared.SIZE, true);
    b.bytes.set(new TextEncoder().encode(Shared.FINGERPRINT), HEADER.fingerprint);
    dv.setUint32(HEADER.magic, SHMKIT_MAGIC, true);
    dv.setUint32(HEADER.ready, 2, true);
    let error: unknown;
    try {
      Shared.open(short, { timeoutMs: 100 });
    } catch (e) {
      error = e;
    }
    expect((error as ShmError).code).toBe("ESIZE");
    expect((error as ShmError).message).toContain(
      `the segment has ${dataOffset + 10} bytes, fewer than the ${dataOffset + Shared.SIZE}`,
    );
  });

  test("create() refuses a name that exists and leaves it alone", () => {
    const name = uniqueName("exists");
    using first = Point.create(name);
    first.data.x = 5;
    expect(codeOf(() => Point.create(name))).toBe("EEXIST");
    expect(first.data.x).toBe(5);
  });
});

const C_WRITER = `
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "${hostFiles.layoutsH}"
int main(int argc, char **argv) {
  (void)argc;
  int fd = shm_open(argv[1], O_RDWR, 0);
  if (fd < 0) return 2;
  char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return 3;
  Kinds *k = (Kinds *)p;
  k->i8 = -5; k->u8 = 250; k->i16 = -30000; k->u16 = 60000; k->ok = true;
  k->i32 = -2000000000; k->u32 = 4000000000u; k->i64 = -4611686018427387904LL; k->u64 = 18446744073709551615ULL;
  k->f32 = 1.5f; k->grid[1][2] = -7; k->points[1].y = 6.25;
  strcpy(k->names[1], "c-name");
  k->lo = -3; k->mid = -1024; k->hi = 65535; k->wide = 1099511627774ULL; k->on = true;
  atomic_store(&k->big, -42); k->counts[1] = 123;
  Packed *pk = (Packed *)(p + 1001);
  pk->value = 3.5; pk->count = -9; pk->where.y = -2.5; pk->pair[1] = 0xdeadbeefu; pk->a = 0x55; pk->b = 0x2a;
  munmap(p, 4096);
  close(fd);
  return 0;
}
`;

const C_READER = `
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "${hostFiles.layoutsH}"
int main(int argc, char **argv) {
  (void)argc;
  int fd = shm_open(argv[1], O_RDWR, 0);
  if (fd < 0) return 2;
  char *p = mmap(NULL, SHARED_DATA_OFFSET + sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) return 3;
  shmkit_segment_header *h = (shmkit_segment_header *)p;
  if (h->magic != SHMKIT_MAGIC || h->version != SHMKIT_FORMAT_VERSION) return 4;
  if (atomic_load(&h->ready) != SHMKIT_READY) return 5;
  if (strcmp(h->fingerprint, SHARED_FINGERPRINT) != 0 || h->data_offset != SHARED_DATA_OFFSET) return 6;
  if (h->data_size != sizeof(Shared) || strcmp(h->struct_name, "Shared") != 0) return 7;
  Shared *s = (Shared *)(p + h->data_offset);
  if (pthread_mutex_lock(&s->mutex) != 0) return 8;
  printf("%s|%d|%.2f|%.2f|%u|%d|%u\\n", s->label, s->shared_resource, s->samples[7], s->origin.y, s->flags,
         (int)s->state, atomic_load(&s->hits));
  s->shared_resource += 1000;
  strcpy(s->label, "written by C");
  s->flags = 6;
  s->state = STATE_DONE;
  pthread_cond_signal(&s->cond);
  pthread_mutex_unlock(&s->mutex);
  atomic_fetch_add(&s->hits, 10);
  return 0;
}
`;

// Native interop: skipped where no C compiler is installed.
describe.skipIf(!CC)("C and TypeScript share the generated layouts", () => {
  let dir = "";
  let writer = "";
  let reader = "";
  beforeAll(async () => {
    dir = tempDir();
    [writer, reader] = await Promise.all([
      compileC(dir, C_WRITER, "writer"),
      compileC(dir, C_READER, "reader"),
    ]);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("a C program writes the structs and TypeScript reads them with the generated accessors", async () => {
    const name = uniqueName("c2ts");
    using seg = Segment.create(name, { size: 4096 });
    const r = await run([writer, name]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    const k = Kinds.attach(seg, 0);
    expect([k.i8, k.u8, k.i16, k.u16, k.ok, k.i32, k.u32, k.i64, k.u64, k.f32]).toEqual([
      -5,
      250,
      -30000,
      60000,
      true,
      -2_000_000_000,
      4_000_000_000,
      -(2n ** 62n),
      2n ** 64n - 1n,
      1.5,
    ]);
    expect(k.grid.get(1)[2]).toBe(-7);
    expect(k.points.get(1).y).toBe(6.25);
    expect(k.names.get(1)).toBe("c-name");
    expect([k.lo, k.mid, k.hi, k.wide, k.on]).toEqual([-3, -1024, 65535, 2n ** 40n - 2n, true]);
    expect(k.big.load()).toBe(-42n);
    expect(k.counts[1]).toBe(123n);
    const p = Packed.attach(seg, 1001);
    expect([p.value, p.count, p.where.y, p.pair.get(1), p.a, p.b]).toEqual([
      3.5, -9, -2.5, 0xdeadbeef, 0x55, 0x2a,
    ]);
  }, 60_000);

  test("TypeScript creates a typed segment and a C program checks its header, locks its mutex and reads it", async () => {
    const name = uniqueName("ts2c");
    using shm = Shared.create(name, {
      robust: ROBUST_IF_SUPPORTED,
      init: (s) => {
        s.label = "from TypeScript";
        s.shared_resource = 5;
        s.samples[7] = 0.25;
        s.origin.y = -8.5;
        s.flags = 3;
        s.state = State.BUSY;
      },
    });
    shm.data.hits.add(2);
    const r = await run([reader, name]);
    expect(r.stderr).toBe("");
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe("from TypeScript|5|0.25|-8.50|3|1|2\n");
    const s = shm.data;
    expect(s.mutex.withLock(() => s.shared_resource)).toBe(1005);
    expect(s.label).toBe("written by C");
    expect(s.flags).toBe(6);
    expect(s.state).toBe(State.DONE);
    expect(s.hits.load()).toBe(12);
  }, 60_000);
});
