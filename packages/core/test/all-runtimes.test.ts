// Every runtime at once (issue 13). Bun, Node 26 (node:ffi), Node 20 (koffi) and Deno 2 processes, a C program and a Python process
// share one typed segment, made from one schema by `shmkit gen` (TypeScript) and `shmkit header` (C) in beforeAll;
// a channel carries messages between every ordered pair of the JS runtimes, from one child process to another; and
// each runtime's `for await` consumer waits on the empty channel (waitAsync) while its timer ticks. The JS children
// run fixtures/all-runtimes-peer.mjs; Node and Deno run core's built dist/, which beforeAll builds.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Channel, Mutex, Segment, type TypedSegment, WaitWord } from "../src/index.ts";
import type { AtomicNumber } from "../src/runtime.ts";
import { MESSAGE_SIZE } from "./channel/fixtures/message.ts";
import { FIXTURES, run, uniqueName } from "./helpers.ts";
import { deno2, type Found, node20, node20Command, node26 } from "./runtimes.ts";

const PEER = `${FIXTURES}/all-runtimes-peer.mjs`;
const CORE_DIST = join(import.meta.dir, "../dist");
const CHILD_TIMEOUT_MS = 30_000;

/** A JS runtime that runs fixtures/all-runtimes-peer.mjs in a child process. */
interface JsRuntime {
  /** Its name in test names. */
  readonly name: string;
  /** Where its executable is, or why it is skipped. */
  readonly found: Found;
  /** How it runs a script, given its executable and the directory of the generated code it imports. */
  readonly command: (executable: string, generatedDir: string) => string[];
  /** True if it imports TypeScript as it is; otherwise it gets the generated accessors as JavaScript. */
  readonly runsTypeScript: boolean;
}

const bun: Found = { path: process.execPath, version: Bun.version };

// Every test below runs for each of these: the typed segment with one participant per runtime, a channel for each
// ordered pair. Deno needs read access for what the peer imports dynamically: the generated module, and the core
// it imports.
const JS_RUNTIMES: readonly JsRuntime[] = [
  { name: "Bun", found: bun, command: (exe) => [exe], runsTypeScript: true },
  {
    name: "Node 26",
    found: node26(),
    command: (exe) => [exe, "--no-warnings=ExperimentalWarning"],
    runsTypeScript: true,
  },
  {
    name: "Deno 2",
    found: deno2(),
    command: (exe, dir) => [exe, "run", "--quiet", "--allow-ffi", `--allow-read=${dir},${CORE_DIST}`],
    runsTypeScript: true,
  },
  // Node 20 has no node:ffi and cannot strip types: core runs through koffi, and the generated accessors and the
  // message fixture are imported as JavaScript.
  {
    name: "Node 20 (koffi)",
    found: node20(),
    command: (exe) => node20Command(exe, [join(import.meta.dir, "channel/fixtures/message.ts")]),
    runsTypeScript: false,
  },
];

// The schema both languages are generated from: a robust mutex guarding a total and one count per participant,
// and the go word they all start on. ShortTally is what every participant must refuse to count in.
const SCHEMA = `import { struct, t } from "@shmkit/layout-gen";

export const Tally = struct("Tally", {
  lock: t.pthread_mutex,
  go: t.atomic(t.u32),
  total: t.u32,
  counts: t.array(t.u32, 8),
});

export const ShortTally = struct("ShortTally", {
  lock: t.pthread_mutex,
  go: t.atomic(t.u32),
  total: t.u32,
  counts: t.array(t.u32, 4),
});
`;

/** What the generated Tally class gives (the test imports it at run time, after generating it). */
interface TallyData {
  readonly lock: Mutex;
  readonly go: AtomicNumber;
  total: number;
  readonly counts: Uint32Array;
}
interface TallyClass {
  readonly LAYOUT: { readonly fields: readonly { readonly name: string; readonly offset: number }[] };
  create(name: string, options: { robust?: boolean }): TypedSegment<TallyData>;
}

/** The generated code, made in beforeAll. */
let gen: {
  dir: string;
  ts: string;
  js: string;
  cBinary: string | undefined;
  Tally: TallyClass;
  ShortTally: TallyClass;
};

const cc = Bun.which("cc");
const python = Bun.which("python3");

/** A participant of the typed-segment test: how to start it on a segment, adding to counts[slot]. */
interface Participant {
  readonly name: string;
  readonly skipped: string | undefined;
  readonly argv: (segment: string, slot: number, n: number) => string[];
}

const PARTICIPANTS: readonly Participant[] = [
  ...JS_RUNTIMES.map((rt) => ({
    name: `a ${rt.name} child`,
    skipped: rt.found.reason,
    argv: (segment: string, slot: number, n: number) => [
      ...rt.command(rt.found.path as string, gen.dir),
      PEER,
      "tally",
      segment,
      rt.runsTypeScript ? gen.ts : gen.js,
      String(slot),
      String(n),
    ],
  })),
  {
    name: "C",
    skipped: cc ? undefined : "no C compiler (cc) on PATH",
    argv: (segment, slot, n) => [gen.cBinary as string, segment, String(slot), String(n)],
  },
  {
    name: "Python",
    skipped: python ? undefined : "python3 is not installed",
    argv: (segment, slot, n) => [
      python as string,
      `${FIXTURES}/tally_peer.py`,
      segment,
      JSON.stringify(gen.Tally.LAYOUT),
      String(slot),
      String(n),
    ],
  },
];

/** A child with its stdout read line by line; killed by its time-out if it hangs. */
function spawnChild(argv: string[]) {
  const child = Bun.spawn(argv, {
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    timeout: CHILD_TIMEOUT_MS,
    killSignal: "SIGKILL",
  });
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  const stderr = new Response(child.stderr).text();
  let out = "";
  const read = async (stop: () => boolean): Promise<string> => {
    while (!stop()) {
      const chunk = await reader.read();
      if (chunk.done) break;
      out += decoder.decode(chunk.value, { stream: true });
    }
    return out;
  };
  return {
    child,
    /** Reads until stdout has the whole line `line`, or ends; returns all of stdout so far. */
    until: (line: string) => read(() => `\n${out}`.includes(`\n${line}\n`)),
    /** Waits for the exit; its code, all of stdout and all of stderr. */
    async result() {
      await read(() => false);
      await child.exited;
      return { code: child.exitCode, out, stderr: await stderr };
    },
    /** Ends it (SIGKILL) if it is still running: for the finally of a test that failed half-way. */
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
type Child = ReturnType<typeof spawnChild>;

/** Runs `cmd` to completion; throws with its output if it fails. */
async function mustRun(cmd: string[], cwd?: string): Promise<void> {
  const child = Bun.spawn(cmd, {
    ...(cwd === undefined ? {} : { cwd }),
    stdout: "pipe",
    stderr: "pipe",
    timeout: 120_000,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  if (code !== 0) throw new Error(`${cmd.join(" ")} exited with ${code}:\n${stdout}${stderr}`);
}

/**
 * Generates the accessors and the C header in a fresh directory set up as a tiny app would be: its own
 * node_modules with @shmkit/core (which the generated code imports) and @shmkit/layout-gen (which the schema
 * imports). Then compiles the C participant against that header.
 */
async function generate(): Promise<typeof gen> {
  const dir = mkdtempSync(join(tmpdir(), "shmkit-all-runtimes-"));
  mkdirSync(join(dir, "node_modules/@shmkit"), { recursive: true });
  symlinkSync(join(import.meta.dir, ".."), join(dir, "node_modules/@shmkit/core"));
  symlinkSync(join(import.meta.dir, "../../layout-gen"), join(dir, "node_modules/@shmkit/layout-gen"));
  writeFileSync(join(dir, "package.json"), '{ "name": "tally-app", "private": true, "type": "module" }\n');
  writeFileSync(join(dir, "tally.schema.ts"), SCHEMA);
  const shmkit = join(dirname(Bun.resolveSync("@shmkit/cli/package.json", import.meta.dir)), "src/bin.ts");
  await mustRun([process.execPath, shmkit, "gen", "tally.schema.ts"], dir);
  await mustRun([process.execPath, shmkit, "header", "tally.schema.ts", "--out", "tally.generated.h"], dir);
  const ts = join(dir, "tally.generated.ts");
  // For a runtime that cannot strip types, the same module as JavaScript, as a build step would give it.
  const js = join(dir, "tally.generated.js");
  writeFileSync(js, new Bun.Transpiler({ loader: "ts" }).transformSync(await Bun.file(ts).text()));
  let cBinary: string | undefined;
  if (cc) {
    cBinary = join(dir, "tally");
    // -Werror: a warning means the header and the C code disagree; -lrt: shm_open on glibc before 2.34.
    const flags = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-O2", "-pthread", `-I${dir}`];
    await mustRun([cc, ...flags, "-o", cBinary, `${FIXTURES}/tally.c`, "-lrt"]);
  }
  const { Tally, ShortTally } = (await import(ts)) as { Tally: TallyClass; ShortTally: TallyClass };
  return { dir, ts, js, cBinary, Tally, ShortTally };
}

/** A test name, saying why it is skipped if it is. */
function named(name: string, skipped: string | undefined): string {
  return skipped ? `${name} (skipped: ${skipped})` : name;
}

describe("every runtime at once", () => {
  beforeAll(async () => {
    const built = await run([process.execPath, "run", "build"], { timeoutMs: 120_000 });
    if (built.exitCode !== 0) throw new Error(`bun run build failed:\n${built.stdout}${built.stderr}`);
    gen = await generate();
  }, 130_000);

  afterAll(() => {
    if (gen) rmSync(gen.dir, { recursive: true, force: true });
  });

  const present = PARTICIPANTS.filter((p) => !p.skipped);
  const absent = PARTICIPANTS.filter((p) => p.skipped).map((p) => `${p.name}: ${p.skipped}`);
  const N = 100_000;
  test(`one typed segment made by Bun: ${present.map((p) => p.name).join(", ")} each add ${N.toLocaleString("en")} under its mutex (robust where robust lists exist); the total and each count are exact${absent.length ? ` (without ${absent.join("; ")})` : ""}`, async () => {
    expect(present.length).toBeLessThanOrEqual(8); // one count each: grow counts[] in SCHEMA for more
    const name = uniqueName("all-tally");
    using shm = gen.Tally.create(name, { robust: Mutex.robustSupported });
    const tally = shm.data;
    const children = present.map((p, slot) => spawnChild(p.argv(name, slot, N)));
    try {
      // Everyone has opened and checked the segment before anyone starts, so that they all contend.
      for (const [i, child] of children.entries()) {
        const out = await child.until("ready");
        if (out !== "ready\n") throw new Error(`${present[i]?.name}: ${out}${(await child.result()).stderr}`);
      }
      tally.go.store(1);
      const goOffset = gen.Tally.LAYOUT.fields.find((f) => f.name === "go")?.offset as number;
      WaitWord.at(shm.segment, shm.offset + goOffset).notify(); // the C participant sleeps in FUTEX_WAIT
      const results = await Promise.all(children.map((child) => child.result()));
      expect(Object.fromEntries(results.map((r, i) => [present[i]?.name, r]))).toEqual(
        Object.fromEntries(
          present.map((p) => [p.name, { code: 0, out: `ready\ndone ${N} owner-died 0\n`, stderr: "" }]),
        ),
      );
      expect(tally.total).toBe(N * present.length);
      expect([...tally.counts]).toEqual(present.map(() => N).concat(Array(8 - present.length).fill(0)));
    } finally {
      for (const child of children) child.kill();
    }
  }, 60_000);

  test(`a typed segment of another struct is refused by ${present.map((p) => p.name).join(", ")} alike, naming what it holds`, async () => {
    const name = uniqueName("all-short");
    using _shm = gen.ShortTally.create(name, { robust: Mutex.robustSupported });
    const children = present.map((p) => spawnChild(p.argv(name, 0, 1)));
    try {
      const results = await Promise.all(children.map((child) => child.result()));
      const seen = (r: Awaited<ReturnType<Child["result"]>>) => ({
        code: r.code,
        out: r.out,
        namesIt: r.stderr.includes("ShortTally"),
      });
      expect(Object.fromEntries(results.map((r, i) => [present[i]?.name, seen(r)]))).toEqual(
        Object.fromEntries(present.map((p) => [p.name, { code: 1, out: "", namesIt: true }])),
      );
    } finally {
      for (const child of children) child.kill();
    }
  }, 60_000);

  for (const rt of JS_RUNTIMES) {
    test.skipIf(rt.found.reason !== undefined)(
      named(
        `a ${rt.name} child's waitAsync is woken by this process while the child's timer keeps ticking`,
        rt.found.reason,
      ),
      async () => {
        const name = uniqueName("all-wait");
        using seg = Segment.create(name, { size: 64 });
        const word = WaitWord.at(seg, 0);
        const child = spawnChild([...rt.command(rt.found.path as string, gen.dir), PEER, "wait", name]);
        try {
          // The child says "ticked" from its timer, 5 ticks into the wait: its event loop runs meanwhile.
          expect(await child.until("ticked")).toBe("waiting\nticked\n");
          word.store(7);
          word.notify();
          const result = await child.result();
          expect({ ...result, out: result.out.replace(/ticks \d+/, "ticks T") }).toEqual({
            code: 0,
            out: "waiting\nticked\nwoken ok 7 ticks T\n",
            stderr: "",
          });
          expect(Number(/ticks (\d+)/.exec(result.out)?.[1])).toBeGreaterThanOrEqual(5);
        } finally {
          child.kill();
        }
      },
      60_000,
    );
  }

  const MESSAGES = 2000;
  for (const [x, from] of JS_RUNTIMES.entries()) {
    for (const [y, to] of JS_RUNTIMES.entries()) {
      if (x === y) continue;
      const skipped = from.found.reason ?? to.found.reason;
      test.skipIf(skipped !== undefined)(
        named(
          `a channel from a ${from.name} producer to a ${to.name} consumer's for await: ${MESSAGES.toLocaleString("en")} messages in order, intact, 0 lost; the consumer's timer ticks while it waits`,
          skipped,
        ),
        async () => {
          const name = uniqueName("all-ch");
          const control = uniqueName("all-ctl");
          // A small ring, so that the producer fills it and both sides wait for each other many times.
          using _channel = Channel.create(name, { messageSize: MESSAGE_SIZE, capacity: 64 });
          using _control = Segment.create(control, { size: 64 });
          const producer = String(100 + x * 10 + y); // its id is in every message, checked by the consumer
          const args = [name, control, producer, String(MESSAGES)];
          const consumer = spawnChild([
            ...to.command(to.found.path as string, gen.dir),
            PEER,
            "consume",
            ...args,
          ]);
          const sender = spawnChild([
            ...from.command(from.found.path as string, gen.dir),
            PEER,
            "produce",
            ...args,
          ]);
          // If one side fails, the other would wait for it until its time-out: end it at once.
          const endOther = (mine: Child, other: Child) =>
            mine.child.exited.then((code) => code === 0 || other.kill());
          endOther(consumer, sender);
          endOther(sender, consumer);
          try {
            const [got, sent] = await Promise.all([consumer.result(), sender.result()]);
            // Both in one assertion: when one side fails, the other is killed, and the diff shows which.
            expect({
              producer: sent,
              consumer: { ...got, out: got.out.replace(/ticks while empty \d+/, "ticks while empty T") },
            }).toEqual({
              producer: { code: 0, out: `sent ${MESSAGES}\n`, stderr: "" },
              consumer: { code: 0, out: `received ${MESSAGES} ticks while empty T\n`, stderr: "" },
            });
            // The consumer let the producer start only after 5 ticks inside its first wait on the empty ring.
            expect(Number(/ticks while empty (\d+)/.exec(got.out)?.[1])).toBeGreaterThanOrEqual(5);
          } finally {
            consumer.kill();
            sender.kill();
          }
        },
        60_000,
      );
    }
  }
});
