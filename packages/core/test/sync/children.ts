import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Subprocess } from "bun";
import { FIXTURES, run } from "../helpers.ts";

export const SYNC_FIXTURES = `${FIXTURES}/sync`;

/**
 * A child process whose stdout the test follows line by line. Every read has a time-out and the child is
 * killed (SIGKILL) after `timeoutMs`, so a stuck child fails the test instead of hanging it.
 */
export class Child {
  readonly proc: Subprocess<"ignore", "pipe", "pipe">;
  readonly #lines: string[] = [];
  #waiter: (() => void) | undefined;
  #ended = false;
  readonly stderr: Promise<string>;

  constructor(cmd: string[], timeoutMs = 30_000) {
    this.proc = Bun.spawn(cmd, {
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
      timeout: timeoutMs,
      killSignal: "SIGKILL",
    });
    this.stderr = new Response(this.proc.stderr).text();
    void this.#read();
  }

  async #read(): Promise<void> {
    const decoder = new TextDecoder();
    let partial = "";
    for await (const chunk of this.proc.stdout) {
      partial += decoder.decode(chunk, { stream: true });
      const parts = partial.split("\n");
      partial = parts.pop() ?? "";
      this.#lines.push(...parts);
      this.#waiter?.();
    }
    if (partial) this.#lines.push(partial);
    this.#ended = true;
    this.#waiter?.();
  }

  /** The next line the child prints; rejects if it exits first or prints nothing within `timeoutMs`. */
  async nextLine(timeoutMs = 20_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.#lines.length === 0) {
      if (this.#ended) throw new Error(`child exited without printing a line; stderr: ${await this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`child printed nothing in ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiter = undefined;
    }
    return this.#lines.shift() as string;
  }

  /** Waits for the child to exit and returns its exit code, signal and remaining output. */
  async done(): Promise<{
    exitCode: number | null;
    signalCode: NodeJS.Signals | number | null;
    rest: string[];
    stderr: string;
  }> {
    await this.proc.exited;
    while (!this.#ended) await Bun.sleep(5);
    return {
      exitCode: this.proc.exitCode,
      signalCode: this.proc.signalCode,
      rest: this.#lines.splice(0),
      stderr: await this.stderr,
    };
  }
}

/** Starts `test/fixtures/sync/sync-child.ts <command> <args…>` in a new bun process. */
export function syncChild(command: string, args: (string | number)[], timeoutMs?: number): Child {
  return new Child(
    [process.execPath, `${SYNC_FIXTURES}/sync-child.ts`, command, ...args.map(String)],
    timeoutMs,
  );
}

/** Runs sync-child.ts to completion. */
export function runSyncChild(command: string, args: (string | number)[], timeoutMs = 30_000) {
  return run([process.execPath, `${SYNC_FIXTURES}/sync-child.ts`, command, ...args.map(String)], {
    timeoutMs,
  });
}

export interface CompiledC {
  bin: string;
  remove(): void;
}

/** Compiles a C fixture of test/fixtures/sync into a temporary directory; `undefined` when there is no `cc`. */
export async function compileC(source: string): Promise<CompiledC | undefined> {
  const cc = Bun.which("cc");
  if (!cc) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "shmkit-sync-c-"));
  const bin = join(dir, source.replace(/\.c$/, ""));
  const result = await run(
    [cc, "-Wall", "-Wextra", "-O2", "-o", bin, `${SYNC_FIXTURES}/${source}`, "-pthread", "-lrt"],
    {
      timeoutMs: 60_000,
    },
  );
  if (result.exitCode !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`cc failed for ${source}:\n${result.stderr}`);
  }
  return { bin, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
