import { Mutex, Segment, ShmError } from "../src/index.ts";

const made = new Set<string>();

/** A segment name no other test (or test run) uses; unlinked after each test, also on failure. */
export function uniqueName(tag = "seg"): string {
  const name = `/shmkit-test-${tag}-${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  made.add(name);
  return name;
}

/** Unlinks every segment `uniqueName` handed out; test/setup.ts runs it after each test of every file. */
export function unlinkTestSegments(): void {
  for (const name of made) Segment.unlink(name, { ifExists: true });
  made.clear();
}

export const FIXTURES = `${import.meta.dir}/fixtures`;

export interface Run {
  exitCode: number | null;
  signalCode: NodeJS.Signals | number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion with a time-out, so that a stuck child fails the test instead of hanging it. */
export async function run(
  cmd: string[],
  options: { timeoutMs?: number; env?: Record<string, string>; stdin?: string } = {},
): Promise<Run> {
  const child = Bun.spawn(cmd, {
    stdin: options.stdin === undefined ? "ignore" : new Blob([options.stdin]),
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...options.env },
    timeout: options.timeoutMs ?? 15_000,
    killSignal: "SIGKILL",
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  await child.exited;
  return { exitCode: child.exitCode, signalCode: child.signalCode, stdout, stderr };
}

/** Runs `test/fixtures/<script>` with bun. */
export function runFixture(
  script: string,
  args: string[],
  options?: Parameters<typeof run>[1],
): Promise<Run> {
  return run([process.execPath, `${FIXTURES}/${script}`, ...args], options);
}

/** True when this process can start children as user nobody (root with setpriv), for permission tests. */
export function canRunAsNobody(): boolean {
  return process.getuid?.() === 0 && Bun.which("setpriv") !== null;
}

/** Runs `test/fixtures/<script>` as user nobody (uid 65534): root would bypass the permission checks under test. */
export function runAsNobody(
  script: string,
  args: string[],
  options?: Parameters<typeof run>[1],
): Promise<Run> {
  const cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", process.execPath];
  return run([...cmd, `${FIXTURES}/${script}`, ...args], {
    ...options,
    env: { HOME: "/tmp", ...options?.env },
  });
}

/** The ShmError that `fn` throws; fails the test if it throws nothing or something else. */
export function errorOf(fn: () => unknown): ShmError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ShmError) return error;
    throw error;
  }
  throw new Error("expected a ShmError, nothing was thrown");
}

// qemu-user keeps no robust futex lists, so robust mutexes are refused there (ENOTSUP). Tests that only need a
// mutex use a plain one there; tests of owner-died recovery need robust lists and are skipped there, saying so.

/** Mutex.init options for a test that needs a mutex, not its robustness: robust wherever robust lists work. */
export const ROBUST_IF_SUPPORTED = { robust: Mutex.robustSupported };

/** True where robust mutexes are refused: `test.skipIf(NO_ROBUST_LISTS)` for tests of owner-died recovery. */
export const NO_ROBUST_LISTS = !Mutex.robustSupported;

/** The name of a test that needs robust lists, with the reason it is skipped where they are missing. */
export function robustOnly(name: string): string {
  return NO_ROBUST_LISTS ? `${name} (skipped: needs robust futex lists, which qemu-user lacks)` : name;
}
