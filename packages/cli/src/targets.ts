import { hostTarget, TARGET_NAMES, type TargetName } from "@shmkit/core/targets";
import { Option } from "commander";

/** `--target T`, checked by commander against the targets shmkit knows; the host's by default. */
export function targetOption(): Option {
  return new Option("--target <target>", "the C target to lay out for (default: this host)").choices([
    ...TARGET_NAMES,
  ]);
}

export function targetOrHost(target: string | undefined): TargetName {
  return (target as TargetName | undefined) ?? hostTarget().name;
}

/**
 * The C compiler Debian ships for a target: `cc` for the host, the cross gcc for the other glibc Linux targets,
 * `musl-gcc` for x86_64 musl on an x86_64 host. Undefined where no packaged compiler has the target's headers
 * (clang alone would measure libc types with the host's headers): the user names one with `--cc`.
 */
export function defaultCompiler(target: TargetName): string | undefined {
  const host = hostTarget().name;
  if (target === host) return "cc";
  if (target.endsWith("-linux-gnu")) return `${target}-gcc`;
  if (target === "x86_64-linux-musl" && host.startsWith("x86_64-linux")) return "musl-gcc";
  return undefined;
}
