import { cpus, loadavg, release } from "node:os";

/** What the numbers were measured on; written into every results file. */
export function describeHost(): Record<string, string | number | boolean> {
  const node = Bun.which("node");
  const nodeVersion = node ? Bun.spawnSync([node, "--version"]).stdout.toString().trim() : "absent";
  const cc = Bun.spawnSync(["cc", "--version"]).stdout.toString().split("\n")[0] ?? "";
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cpus: cpus().length,
    kernel: release(),
    arch: process.arch,
    bun: Bun.version,
    node: nodeVersion,
    cc,
    taskset: Bun.which("taskset") !== null,
    // Other work on the machine at the end of the run (1, 5 and 15 minute load averages): read the spin rows
    // with it in mind.
    loadavg: loadavg()
      .map((n) => n.toFixed(2))
      .join(" "),
  };
}
