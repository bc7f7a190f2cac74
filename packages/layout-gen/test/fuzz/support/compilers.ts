import { existsSync } from "node:fs";
import type { TargetName } from "@shmkit/core/targets";

/** How to ask a compiler about one target, and whether it has that target's libc headers (pthread.h). */
export interface TargetCompiler {
  readonly target: TargetName;
  readonly compiler: readonly string[];
  /** False for clang without a sysroot: there, pthread types are not checked and `ssize_t` comes from the ABI. */
  readonly libc: boolean;
  /** Why it is missing, when it is. */
  readonly missing?: string;
}

const which = (cmd: string): boolean => Bun.which(cmd) !== null;

const hostIsX64Glibc = process.arch === "x64" && process.platform === "linux";

// Debian names its native x86_64 gcc x86_64-linux-gnu-gcc and ships it under that name as a cross compiler on other
// hosts, so it is the x86_64 compiler wherever it is installed; a plain `gcc` is one only on an x86_64 host.
const x64Gcc = which("x86_64-linux-gnu-gcc") ? "x86_64-linux-gnu-gcc" : hostIsX64Glibc ? "gcc" : undefined;

/** What musl-gcc (musl-tools) builds for: it is per architecture, so on an aarch64 host it builds aarch64. */
const muslGccBuilds: string | undefined = which("musl-gcc")
  ? Bun.spawnSync(["musl-gcc", "-dumpmachine"]).stdout.toString().split("-")[0]
  : undefined;

/**
 * gcc for a musl target: Debian's musl-gcc is a gcc run with musl's specs, so wherever the target's gcc and musl's
 * specs are installed (musl-tools for the host's architecture; musl-dev:<arch> for another, as
 * scripts/install-toolchains.sh installs aarch64's), that is the target's musl compiler, on any host. Else
 * musl-gcc, where it builds for the target.
 */
function muslGcc(arch: "x86_64" | "aarch64", gcc: string | undefined): string[] | undefined {
  const specs = `/usr/lib/${arch}-linux-musl/musl-gcc.specs`;
  if (gcc !== undefined && which(gcc) && existsSync(specs)) return [gcc, "-specs", specs];
  return muslGccBuilds === arch ? ["musl-gcc"] : undefined;
}

const aarch64Gcc = which("aarch64-linux-gnu-gcc")
  ? "aarch64-linux-gnu-gcc"
  : process.arch === "arm64" && process.platform === "linux"
    ? "gcc"
    : undefined;

type LinuxTarget = Extract<TargetName, `${string}-linux-${string}`>;

/** The gcc command for each Linux target, with its libc's headers; undefined where this machine has none. */
export const GCC: Readonly<Record<LinuxTarget, readonly string[] | undefined>> = {
  "x86_64-linux-gnu": x64Gcc !== undefined && which(x64Gcc) ? [x64Gcc] : undefined,
  "aarch64-linux-gnu": aarch64Gcc !== undefined ? [aarch64Gcc] : undefined,
  "i686-linux-gnu": which("i686-linux-gnu-gcc") ? ["i686-linux-gnu-gcc"] : undefined,
  "x86_64-linux-musl": muslGcc("x86_64", x64Gcc),
  "aarch64-linux-musl": muslGcc("aarch64", aarch64Gcc),
};

/** The compiler for every target this machine can check, cross ones compile-only. */
export function targetCompilers(): TargetCompiler[] {
  const list: TargetCompiler[] = [];
  const add = (
    target: TargetName,
    compiler: string[],
    libc: boolean,
    available: boolean,
    why: string,
  ): void => {
    list.push(available ? { target, compiler, libc } : { target, compiler, libc, missing: why });
  };
  add(
    "x86_64-linux-gnu",
    [x64Gcc ?? "x86_64-linux-gnu-gcc"],
    true,
    x64Gcc !== undefined && which(x64Gcc),
    "needs x86_64-linux-gnu-gcc, or gcc on an x86_64 glibc host",
  );
  add(
    "aarch64-linux-gnu",
    ["aarch64-linux-gnu-gcc"],
    true,
    which("aarch64-linux-gnu-gcc"),
    "aarch64-linux-gnu-gcc not installed (scripts/install-toolchains.sh)",
  );
  add(
    "i686-linux-gnu",
    ["i686-linux-gnu-gcc"],
    true,
    which("i686-linux-gnu-gcc"),
    "i686-linux-gnu-gcc not installed (scripts/install-toolchains.sh)",
  );
  add(
    "x86_64-linux-musl",
    [...(GCC["x86_64-linux-musl"] ?? ["musl-gcc"])],
    true,
    GCC["x86_64-linux-musl"] !== undefined,
    "needs musl for x86_64: musl-tools on an x86_64 host (scripts/install-toolchains.sh)",
  );
  // aarch64 musl with its headers where installed (musl-dev:arm64); clang without libc headers below either way.
  const aarch64Musl = GCC["aarch64-linux-musl"];
  if (aarch64Musl) add("aarch64-linux-musl", [...aarch64Musl], true, true, "");
  const clang = which("clang");
  add(
    "aarch64-linux-musl",
    ["clang", "--target=aarch64-linux-musl", "-ffreestanding"],
    false,
    clang,
    "clang not installed",
  );
  add(
    "aarch64-apple-darwin",
    ["clang", "--target=arm64-apple-macos11", "-ffreestanding"],
    false,
    clang,
    "clang not installed",
  );
  add(
    "x86_64-apple-darwin",
    ["clang", "--target=x86_64-apple-macos10.15", "-ffreestanding"],
    false,
    clang,
    "clang not installed",
  );
  // clang for the Linux targets too, since C programs sharing a segment may be built with either compiler.
  for (const target of ["x86_64-linux-gnu", "aarch64-linux-gnu", "i686-linux-gnu"] as const) {
    add(target, ["clang", `--target=${target}`], true, clang, "clang not installed");
  }
  return list;
}

/** The includes a probe needs; without libc headers, `ssize_t` is the signed twin of `size_t` (as on all ABIs here). */
export function prelude(libc: boolean): string {
  return libc
    ? "#include <stddef.h>\n#include <stdint.h>\n#include <sys/types.h>\n#include <pthread.h>\n#include <semaphore.h>\n"
    : "#include <stddef.h>\n#include <stdint.h>\ntypedef __PTRDIFF_TYPE__ ssize_t;\n";
}
