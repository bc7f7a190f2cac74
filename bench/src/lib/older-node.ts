import { pathToFileURL } from "node:url";

/** The machine's Node when it is older than 26 (no node:ffi) and core's dist runs on it, or why not. */
export type OlderNode =
  | { path: string; version: string; reason?: undefined }
  | { path?: undefined; reason: string };

const DIST = `${import.meta.dir}/../../../packages/core/dist/index.js`;

/**
 * Node 20–25 has no node:ffi; core's dist reaches libc there only through the koffi back-end. Rather than guess
 * whether that back-end exists (and koffi is installed), this runs the dist once on that Node: one shm_open through
 * `Segment.exists`. The rows for this Node run only if that works, and the reason is shown when it does not.
 * Call after core's dist is built.
 */
export function findOlderNode(node: string | null): OlderNode {
  if (!node) return { reason: "no `node` on PATH" };
  const version = Bun.spawnSync([node, "--version"], { stdout: "pipe", timeout: 10_000 })
    .stdout.toString()
    .trim();
  const major = Number(/^v(\d+)\./.exec(version)?.[1]);
  if (!(major >= 20 && major <= 25)) return { reason: `${node} is Node ${version || "?"}, not 20–25` };
  const probe = `const m = await import(${JSON.stringify(pathToFileURL(DIST).href)}); m.Segment.exists("/shmkit-bench-probe");`;
  const out = Bun.spawnSync([node, "--input-type=module", "-e", probe], {
    stdout: "pipe",
    stderr: "pipe",
    timeout: 20_000,
  });
  if (out.exitCode === 0) return { path: node, version };
  // The error's own line (`Error: …`), not the stack trace around it.
  const stderr = out.stderr.toString();
  const why = stderr.split("\n").find((l) => /^\w*Error\b/.test(l)) ?? stderr.trim().split("\n")[0];
  return { reason: `core's dist does not run on Node ${version}: ${why ?? `exit ${out.exitCode}`}` };
}
