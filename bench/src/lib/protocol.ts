/**
 * How a case script talks to the harness: flags in, one JSON line out.
 * `--batches N --per K --cpu-a A --cpu-b B [--mode M] [--bytes S]`; prints `{"samples":[ns per op, one per batch]}`.
 * A cpu of -1 means unpinned.
 */
export interface CaseArgs {
  batches: number;
  per: number;
  cpuA: number;
  cpuB: number;
  mode: string;
  bytes: number;
}

export function parseCaseArgs(argv: readonly string[] = process.argv.slice(2)): CaseArgs {
  const get = (flag: string, fallback: string): string => {
    const at = argv.indexOf(flag);
    return at >= 0 ? (argv[at + 1] ?? fallback) : fallback;
  };
  return {
    batches: Number(get("--batches", "10")),
    per: Number(get("--per", "1000")),
    cpuA: Number(get("--cpu-a", "-1")),
    cpuB: Number(get("--cpu-b", "-1")),
    mode: get("--mode", ""),
    bytes: Number(get("--bytes", "64")),
  };
}

/** The command prefix that pins a process to `cpu`, or nothing when unpinned. */
export function pinned(cpu: number): string[] {
  return cpu >= 0 ? ["taskset", "-c", String(cpu)] : [];
}

export function emit(samples: readonly number[]): void {
  process.stdout.write(`${JSON.stringify({ samples })}\n`);
}

/** A 64-byte message, as every round-trip case sends. */
export const MESSAGE_BYTES = 64;
