import { readdirSync, rmSync } from "node:fs";

/**
 * Every segment the suite makes starts with `shmkit-test-rel-<pid>-`, so that cleanup can remove exactly the
 * suite's own leftovers (also those of a child killed mid-case) and never another run's segments.
 */
export function runPrefix(tag: string, pid = process.pid): string {
  return `shmkit-test-rel-${pid}-${tag}-${Math.random().toString(36).slice(2, 8)}-`;
}

/** Removes every /dev/shm entry whose name starts with `prefix` (no leading slash); returns how many. */
export function removeWithPrefix(prefix: string): number {
  let removed = 0;
  for (const entry of readdirSync("/dev/shm")) {
    if (!entry.startsWith(prefix)) continue;
    rmSync(`/dev/shm/${entry}`, { force: true });
    removed++;
  }
  return removed;
}

/**
 * Removes what earlier runs of the suite left behind when they were killed (their pid no longer exists).
 * Segments of live processes, this suite's or anyone's, are never touched.
 */
export function removeStale(): number {
  let removed = 0;
  for (const entry of readdirSync("/dev/shm")) {
    const pid = /^shmkit-test-rel-(\d+)-/.exec(entry)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    rmSync(`/dev/shm/${entry}`, { force: true });
    removed++;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
