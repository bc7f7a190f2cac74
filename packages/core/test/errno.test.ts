import { describe, expect, test } from "bun:test";
import { Segment, ShmError } from "../src/index.ts";
import { lastErrno } from "../src/internal/libc/errno.ts";
import { libc } from "../src/internal/libc/index.ts";
import { cName } from "../src/names.ts";
import { canRunAsNobody, runAsNobody, uniqueName } from "./helpers.ts";

// Each test makes a call fail in a way only one errno explains, and checks that ShmError carries that errno:
// proof that errno is read from the failing call and not from something after it.
describe("ShmError carries the errno of the failing call", () => {
  test("EEXIST", () => {
    const name = uniqueName();
    using _seg = Segment.create(name, { size: 8 });
    expect(() => Segment.create(name, { size: 8 })).toThrow(`shm_open(${name}): EEXIST (File exists)`);
  });

  test("ENOENT", () => {
    const name = uniqueName();
    expect(() => Segment.open(name)).toThrow(`shm_open(${name}): ENOENT (No such file or directory)`);
    expect(() => Segment.unlink(name)).toThrow(`shm_unlink(${name}): ENOENT (No such file or directory)`);
  });

  test("EACCES: another user opens a 0600 segment", async () => {
    if (!canRunAsNobody()) {
      console.warn("skipped: needs root and setpriv to open a segment as another user (CI runs as root)");
      return;
    }
    const name = uniqueName();
    using _seg = Segment.create(name, { size: 8, mode: 0o600 });
    const child = await runAsNobody("segment-child.ts", ["open", name]);
    expect(child.exitCode).toBe(1);
    expect(JSON.parse(child.stdout)).toMatchObject({
      error: "ShmError",
      code: "EACCES",
      errno: 13,
      syscall: "shm_open",
      message: `shm_open(${name}): EACCES (Permission denied)`,
    });
  });

  test("EINVAL: the libc binding reports what glibc says of a name with an inner slash", () => {
    // The public API refuses such names before any syscall, so ask libc directly.
    expect(libc().shm_open(cName("/shmkit/inner"), 0, 0)).toBe(-1);
    const errno = lastErrno();
    expect(errno).toBe(22);
    expect(ShmError.fromErrno("shm_open", "/shmkit/inner", errno).message).toBe(
      "shm_open(/shmkit/inner): EINVAL (Invalid argument)",
    );
  });

  test("EPERM: an anonymous segment is sealed against resizing", async () => {
    using seg = Segment.anonymous({ size: 4096 });
    expect(libc().ftruncate(seg.fd, 0)).toBe(-1);
    expect(lastErrno()).toBe(1);
  });

  test("errno survives between the failing call and the error, across many failures", () => {
    const missing = uniqueName();
    const taken = uniqueName();
    using _seg = Segment.create(taken, { size: 8 });
    for (let i = 0; i < 2000; i++) {
      const [name, expected] = i % 2 === 0 ? [missing, "ENOENT"] : [taken, "EEXIST"];
      try {
        if (i % 2 === 0) Segment.open(name);
        else Segment.create(name, { size: 8 });
        throw new Error("should have failed");
      } catch (error) {
        expect((error as ShmError).code).toBe(expected);
      }
    }
  });
});
