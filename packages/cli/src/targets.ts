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
 * `musl-gcc` (Debian musl-tools) for the host architecture's musl. Undefined where no packaged compiler has the target's headers
 * (clang alone would measure libc types with the host's headers): the user names one with `--cc`.
 */
export function defaultCompiler(target: TargetName): string | undefined {
  const host = hostTarget();
  if (target === host.name) return "cc";
  if (target.endsWith("-linux-gnu")) return `${target}-gcc`;
  if (host.os === "linux" && target === `${host.arch}-linux-musl`) return "musl-gcc";
  return undefined;
}
