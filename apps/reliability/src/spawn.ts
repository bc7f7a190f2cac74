/** How a child process ended. */
export interface ChildResult {
  exitCode: number | null;
  signalCode: string | number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * Runs a command to completion, killing it with SIGKILL after `timeoutMs`, so that a stuck child is reported as a
 * hang instead of stopping the suite.
 */
export async function runChild(
  cmd: string[],
  options: { timeoutMs: number; env?: Record<string, string>; stdin?: "ignore" | "pipe"; cwd?: string },
): Promise<ChildResult> {
  const started = performance.now();
  const child = Bun.spawn(cmd, {
    stdin: options.stdin ?? "ignore",
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, ...options.env },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, options.timeoutMs);
  try {
    const [stdout, stderr] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    return {
      exitCode: child.exitCode,
      signalCode: child.signalCode,
      timedOut,
      stdout,
      stderr,
      ms: performance.now() - started,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** `bun <script> …args` with the bun that runs this process. */
export function bunCmd(script: string, ...args: string[]): string[] {
  return [process.execPath, script, ...args];
}
