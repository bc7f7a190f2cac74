import { spawn } from "node:child_process";
import type { TargetName } from "@shmkit/core/targets";
import { which } from "../system/which.ts";

export interface ClangOptions {
  /** The clang command; default `clang`. */
  readonly clang?: string;
  readonly target: TargetName;
  /** Extra `-I` directories. */
  readonly includeDirs?: readonly string[];
}

export type ClangResult =
  | { readonly ok: true; readonly ast: unknown }
  | { readonly ok: false; readonly message: string };

export const INSTALL_CLANG =
  "install it with scripts/install-toolchains.sh (Debian: apt-get install clang), or name another with --clang";

/**
 * Parses `file` with clang's real C front end and returns its JSON AST (`-Xclang -ast-dump=json -fsyntax-only`):
 * nothing is compiled or run, so any `--target` works as long as its headers are there.
 */
export async function clangAst(file: string, options: ClangOptions): Promise<ClangResult> {
  const clang = options.clang ?? "clang";
  if (!which(clang)) return { ok: false, message: `${clang} not found: ${INSTALL_CLANG}` };
  const includes = (options.includeDirs ?? []).flatMap((dir) => ["-I", dir]);
  const { code, stdout, stderr } = await output(clang, [
    `--target=${options.target}`,
    "-x",
    "c",
    "-std=gnu11",
    ...includes,
    "-Xclang",
    "-ast-dump=json",
    "-fsyntax-only",
    file,
  ]);
  if (code !== 0) {
    return { ok: false, message: `${clang} failed (exit ${code}):\n${stderr.trimEnd()}` };
  }
  try {
    return { ok: true, ast: JSON.parse(stdout) };
  } catch (error) {
    return { ok: false, message: `${clang} printed an AST that is not JSON: ${(error as Error).message}` };
  }
}

/** Runs a command to its end (killed after a minute) and collects what it prints; the exit code, or the signal. */
function output(
  command: string,
  args: readonly string[],
): Promise<{ code: number | string; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"], timeout: 60_000 });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    // "close", not "exit": after both pipes have ended, so nothing printed is lost.
    child.on("close", (code, signal) =>
      resolve({
        code: code ?? signal ?? "unknown",
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
      }),
    );
  });
}
