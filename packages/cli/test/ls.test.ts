import { describe, expect, test } from "bun:test";
import { Segment } from "@shmkit/core";
import { hostTarget } from "@shmkit/core/targets";
import { FIXTURES, ME, run, SHMKIT, shmkit, uniqueName } from "./helpers.ts";

describe("shmkit ls", () => {
  test("lists a live segment with its size, mode and owner", async () => {
    const name = uniqueName("ls");
    using _seg = Segment.create(name, { size: 4096, mode: 0o640 });
    const { code, stdout, stderr } = await shmkit(["ls"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const line = stdout.split("\n").find((l) => l.startsWith(`${name} `));
    expect(line).toBeDefined();
    expect(line?.split(/\s+/).slice(0, 4)).toEqual([name, "4096", "0640", ME]);
    expect(stdout.split("\n")[0]).toMatch(
      /^NAME\s+SIZE\s+MODE\s+OWNER\s+MODIFIED\s+STRUCT\s+FINGERPRINT\s+STATE$/,
    );
    expect(line?.split(/\s+/).slice(-3)).toEqual(["-", "-", "-"]);
  });

  test("shows struct name, fingerprint and ready state of a typed segment made by another process", async () => {
    const name = uniqueName("lstyped");
    const made = await run([process.execPath, `${FIXTURES}/typed-counter.ts`, name]);
    expect(made.stderr).toBe("");
    expect(made.exitCode).toBe(0);
    const { stdout } = await shmkit(["ls"]);
    const line = stdout.split("\n").find((l) => l.startsWith(`${name} `));
    expect(line?.split(/\s+/).slice(-3)).toEqual(["Counter", "c0ffee0123456789", "ready"]);
    const json = JSON.parse((await shmkit(["ls", "--json"])).stdout) as { name: string; typed: unknown }[];
    expect(json.find((e) => e.name === name)?.typed).toEqual({
      struct: "Counter",
      fingerprint: "c0ffee0123456789abcdef0123456789",
      version: 2,
      ready: "ready",
      dataOffset: 208,
      dataSize: 16,
      target: hostTarget().name,
    });
  });

  test("shows a typed segment that its creator is still initialising", async () => {
    const name = uniqueName("lsinit");
    using seg = Segment.create(name, { size: 160 });
    // What create() has written so far: magic and the ready word in state 1 (initialising), no name yet.
    const dv = new DataView(seg.buffer);
    dv.setUint32(0, 0x4b4d4853, true);
    dv.setUint32(8, 1, true);
    const json = JSON.parse((await shmkit(["ls", "--json"])).stdout) as { name: string; typed: unknown }[];
    expect(json.find((e) => e.name === name)?.typed).toMatchObject({ struct: "", ready: "initialising" });
    dv.setUint32(8, 7, true);
    const odd = JSON.parse((await shmkit(["ls", "--json"])).stdout) as { name: string; typed: unknown }[];
    expect(odd.find((e) => e.name === name)?.typed).toMatchObject({ ready: "unknown (7)" });
  });

  test("--json gives name, size, mode, uid and an ISO time, and forgets unlinked segments", async () => {
    const name = uniqueName("lsjson");
    const seg = Segment.create(name, { size: 100 });
    seg.close();
    const before = JSON.parse((await shmkit(["ls", "--json"])).stdout) as Record<string, unknown>[];
    const entry = before.find((e) => e.name === name);
    expect(entry).toMatchObject({ name, size: 100, mode: "0600", uid: process.getuid?.(), typed: null });
    expect(new Date(String(entry?.mtime)).getTime()).toBeGreaterThan(Date.now() - 3_600_000);
    Segment.unlink(name);
    const after = JSON.parse((await shmkit(["ls", "--json"])).stdout) as Record<string, unknown>[];
    expect(after.some((e) => e.name === name)).toBe(false);
  });

  test("colours the table only when forced or on a terminal, never with NO_COLOR", async () => {
    const name = uniqueName("lscolour");
    using _seg = Segment.create(name, { size: 16 });
    const forced = await shmkit(["ls"], { env: { NO_COLOR: undefined, FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain(`\x1b[1m${name}\x1b[22m`);
    const piped = await shmkit(["ls"], { env: { NO_COLOR: undefined } });
    expect(piped.stdout).toContain(name);
    expect(piped.stdout).not.toContain("\x1b[");
    const noColour = await shmkit(["ls"], { env: { NO_COLOR: "1", FORCE_COLOR: "1" } });
    expect(noColour.stdout).not.toContain("\x1b[");
  });

  // `script` runs the command on a pseudo-terminal, as a person at a terminal would.
  const script = Bun.which("script");
  test.skipIf(script === null)(
    `colours on a real terminal unless NO_COLOR is set${script === null ? " (skipped: util-linux script is not installed)" : ""}`,
    async () => {
      const name = uniqueName("lstty");
      using _seg = Segment.create(name, { size: 16 });
      const onTerminal = async (env: Record<string, string | undefined>) => {
        const child = Bun.spawn(["script", "-qec", `${SHMKIT.join(" ")} ls`, "/dev/null"], {
          stdout: "pipe",
          stderr: "pipe",
          stdin: "ignore",
          env: { ...process.env, FORCE_COLOR: undefined, ...env },
          timeout: 30_000,
          killSignal: "SIGKILL",
        });
        const out = await new Response(child.stdout).text();
        expect(await child.exited).toBe(0);
        return out;
      };
      expect(await onTerminal({ NO_COLOR: undefined })).toContain(`\x1b[1m${name}\x1b[22m`);
      const plain = await onTerminal({ NO_COLOR: "1" });
      expect(plain).toContain(name);
      expect(plain).not.toContain("\x1b[");
    },
  );
});
