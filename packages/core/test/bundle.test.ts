// A bundled app has no source files beside it, so whatever @shmkit/core starts from a file path (its futex wait
// thread did: ModuleNotFound "/$bunfs/root/futex-worker.ts") breaks there and only there. These build
// test/fixtures/bundle/app.ts the two ways users do and run the result against this process.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Channel, Segment, WaitWord } from "../src/index.ts";
import { FIXTURES, run, uniqueName } from "./helpers.ts";

const APP = `${FIXTURES}/bundle/app.ts`;
const BUILD_TIMEOUT_MS = 120_000;
let dir = "";

/** How users bundle, and how the output is run; `--minify` too, since it rewrites the code the thread runs. */
const BUILDS = [
  {
    how: "bun build --compile",
    args: (out: string) => ["--compile", APP, "--outfile", join(out, "app")],
    cmd: (out: string) => [join(out, "app")],
  },
  {
    how: "bun build --target bun",
    args: (out: string) => ["--target", "bun", APP, "--outdir", join(out, "plain")],
    cmd: (out: string) => [process.execPath, join(out, "plain", "app.js")],
  },
  {
    how: "bun build --target bun --minify",
    args: (out: string) => ["--target", "bun", "--minify", APP, "--outdir", join(out, "minified")],
    cmd: (out: string) => [process.execPath, join(out, "minified", "app.js")],
  },
];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "shmkit-bundle-"));
  for (const build of BUILDS) {
    const built = await run([process.execPath, "build", ...build.args(dir)], { timeoutMs: BUILD_TIMEOUT_MS });
    if (built.exitCode !== 0) throw new Error(`${build.how} failed:\n${built.stderr}`);
  }
}, BUILD_TIMEOUT_MS * BUILDS.length);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs a built app as the waiting side: wakes its waitAsync(), then feeds its `for await` two messages. */
async function talkTo(cmd: string[]): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  const wordName = uniqueName("bundle-word");
  const channelName = uniqueName("bundle-chan");
  using seg = Segment.create(wordName, { size: 4096 });
  using ch = Channel.create(channelName, { messageSize: 32, capacity: 8 });
  const child = Bun.spawn([...cmd, wordName, channelName], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: 20_000,
    killSignal: "SIGKILL",
  });
  const stderr = new Response(child.stderr).text();
  const decoder = new TextDecoder();
  let stdout = "";
  const reader = child.stdout.getReader();
  // The app prints "waiting" once waitAsync() is pending; waking it before would still be a wake ("ok"), but
  // after is the case a bundle broke.
  while (!stdout.includes("waiting\n")) {
    const chunk = await reader.read();
    if (chunk.done) break;
    stdout += decoder.decode(chunk.value, { stream: true });
  }
  const word = WaitWord.at(seg, 0);
  word.store(7);
  word.notify();
  const tx = ch.sender();
  for (const text of ["hello", "world"]) tx.send(new TextEncoder().encode(text), { timeoutMs: 10_000 });
  tx.close();
  for (;;) {
    const chunk = await reader.read();
    if (chunk.done) break;
    stdout += decoder.decode(chunk.value, { stream: true });
  }
  await child.exited;
  return { exitCode: child.exitCode, stdout, stderr: await stderr };
}

const EXPECTED = "waiting\nword ok 7\nmessage hello\nmessage world\ndone\n";

describe("a bundled app", () => {
  for (const build of BUILDS) {
    test(`built with ${build.how}, its waitAsync() and for await are woken by another process`, async () => {
      const result = await talkTo(build.cmd(dir));
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe(EXPECTED);
      expect(result.exitCode).toBe(0);
    }, 30_000);
  }
});
