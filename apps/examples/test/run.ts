// Runs an example as its own process, the way a user would, and collects what it printed.
export const root = `${import.meta.dir}/..`;

export function uniqueSegment(what: string): string {
  return `/shmkit-test-example-${what}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function runExample(
  args: string[],
  segment: string,
  extraEnv: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = Bun.spawn([process.execPath, ...args], {
    cwd: root,
    env: { ...process.env, SHMKIT_EXAMPLE_SEGMENT: segment, ...extraEnv },
    stdout: "pipe",
    stderr: "pipe",
    timeout: 45_000,
  });
  const [stdout, stderr] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
  ]);
  return { code: await child.exited, stdout, stderr };
}
