import type { TargetName } from "@shmkit/core/targets";

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
  if (!Bun.which(clang)) return { ok: false, message: `${clang} not found: ${INSTALL_CLANG}` };
  const includes = (options.includeDirs ?? []).flatMap((dir) => ["-I", dir]);
  const child = Bun.spawn(
    [
      clang,
      `--target=${options.target}`,
      "-x",
      "c",
      "-std=gnu11",
      ...includes,
      "-Xclang",
      "-ast-dump=json",
      "-fsyntax-only",
      file,
    ],
    { stdout: "pipe", stderr: "pipe", stdin: "ignore", timeout: 60_000 },
  );
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
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
