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

/** The C compiler Debian ships for a target: `cc` for the host, the cross gcc for the others. */
export function defaultCompiler(target: TargetName): string {
  if (target === hostTarget().name) return "cc";
  if (target.endsWith("-linux-gnu")) return `${target}-gcc`;
  return `clang --target=${target}`;
}
