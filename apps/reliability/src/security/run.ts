import { Channel, Segment, ShmError, TypedSegment } from "@shmkit/core";
import { probeClass } from "../bad-input/probe.ts";
import { removeWithPrefix, runPrefix } from "../names.ts";
import { runChild } from "../spawn.ts";

const CHILD = `${import.meta.dir}/child.ts`;

export interface SecurityReport {
  /** Umasks the mode check ran under, and how many segments it checked (512 modes × 2 create paths each). */
  umasks: number[];
  modesChecked: number;
  /** Expectations checked about segments another user pre-created (0 when skipped). */
  squatChecks: number;
  /** Own segments, every mode, judged by `trustOwner` (refused iff group or others can write). */
  ownModesChecked: number;
  /** Why the cross-user part did not run, if it did not. */
  skipped: string | undefined;
  failures: string[];
}

export const DEFAULT_UMASKS = [0o000, 0o002, 0o022, 0o027, 0o077, 0o777] as const;

/** True when children can be started as user nobody: root with setpriv. Root itself would pass every check. */
export function canRunAsNobody(): boolean {
  return process.getuid?.() === 0 && Bun.which("setpriv") !== null;
}

async function child(args: string[], options: { umask?: number; asNobody?: boolean } = {}) {
  let cmd = [process.execPath, CHILD, ...args];
  if (options.asNobody) cmd = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", ...cmd];
  // The umask is set by a shell before bun starts, as it would be by a user's login shell.
  if (options.umask !== undefined)
    cmd = ["sh", "-c", `umask ${options.umask.toString(8)} && exec "$@"`, "sh", ...cmd];
  const result = await runChild(cmd, { timeoutMs: 60_000, env: options.asNobody ? { HOME: "/tmp" } : {} });
  if (result.exitCode !== 0 || result.timedOut) {
    throw new Error(
      `security child ${args[0]} failed: exit ${result.exitCode} ${result.signalCode} ${result.stderr}`,
    );
  }
  return JSON.parse(result.stdout.trim()) as Record<string, unknown>;
}

function codeOf(action: () => void): string {
  try {
    action();
    return "ok";
  } catch (error) {
    return error instanceof ShmError ? String(error.code) : `untyped ${String(error)}`;
  }
}

/** Every mode 0o000…0o777 comes out exact under each umask, through both create paths (exclusive or not). */
async function checkModes(report: SecurityReport, umasks: readonly number[]): Promise<void> {
  const prefix = runPrefix("mode");
  try {
    for (const umask of umasks) {
      const out = await child(["modes", prefix], { umask });
      if (out.umask !== umask)
        report.failures.push(`modes: the child ran under umask ${out.umask}, not ${umask}`);
      report.umasks.push(umask);
      report.modesChecked += Number(out.checked);
      for (const m of out.mismatches as string[])
        report.failures.push(`modes under umask ${umask.toString(8)}: ${m}`);
    }
  } finally {
    removeWithPrefix(prefix);
  }
}

/** Own segments: `trustOwner` refuses exactly the modes that let group or others write. */
function checkOwnModes(report: SecurityReport): void {
  const prefix = runPrefix("own");
  try {
    for (let mode = 0; mode <= 0o777; mode++) {
      const name = `/${prefix}${mode.toString(8)}`;
      Segment.create(name, { size: 64, mode }).close();
      const expected = mode & 0o022 ? "EUNTRUSTED" : "ok";
      const open = codeOf(() => Segment.open(name, { trustOwner: true }).close());
      const create = codeOf(() =>
        Segment.create(name, { size: 128, exclusive: false, trustOwner: true }).close(),
      );
      if (open !== expected) report.failures.push(`own ${mode.toString(8)}: open(trustOwner) gave ${open}`);
      if (create !== expected)
        report.failures.push(`own ${mode.toString(8)}: create(trustOwner) gave ${create}`);
      const size = codeOf(() => {
        using seg = Segment.open(name);
        const want = expected === "ok" ? 128 : 64;
        if (seg.size !== want) throw new Error(`size ${seg.size}, expected ${want}`);
      });
      if (size !== "ok") report.failures.push(`own ${mode.toString(8)}: ${size}`);
      Segment.unlink(name);
      report.ownModesChecked++;
    }
  } finally {
    removeWithPrefix(prefix);
  }
}

/**
 * Segments pre-created by user nobody (the squatter) are refused by an exclusive create and by every
 * `trustOwner` open, loose mode or not; and nobody cannot open or trust this user's segments.
 */
async function checkSquatting(report: SecurityReport): Promise<void> {
  const prefix = runPrefix("squat");
  const probe = probeClass("fp-squat");
  const expect = (what: string, got: string, want: string) => {
    report.squatChecks++;
    if (got !== want) report.failures.push(`squat: ${what}: got ${got}, want ${want}`);
  };
  try {
    for (const mode of [0o666, 0o664, 0o646, 0o622, 0o777, 0o660, 0o606, 0o644, 0o600, 0o400]) {
      const name = `/${prefix}n${mode.toString(8)}`;
      const made = await child(["create", name, "64", mode.toString(8)], { asNobody: true });
      if (made.uid !== 65534)
        throw new Error(`the squatter's segment is owned by ${made.uid}: ${JSON.stringify(made)}`);
      const m = mode.toString(8);
      expect(
        `${m} exclusive create`,
        codeOf(() => Segment.create(name, { size: 64 }).close()),
        "EEXIST",
      );
      expect(
        `${m} create(exclusive: false, trustOwner)`,
        codeOf(() => Segment.create(name, { size: 4096, exclusive: false, trustOwner: true }).close()),
        "EUNTRUSTED",
      );
      expect(
        `${m} open(trustOwner)`,
        codeOf(() => Segment.open(name, { trustOwner: true }).close()),
        "EUNTRUSTED",
      );
      // The layers above Segment inherit the same refusals.
      expect(
        `${m} Channel.create`,
        codeOf(() => Channel.create(name, { messageSize: 8 }).close()),
        "EEXIST",
      );
      expect(
        `${m} TypedSegment.create`,
        codeOf(() => TypedSegment.create(probe, name).close()),
        "EEXIST",
      );
      expect(
        `${m} TypedSegment.open(trustOwner)`,
        codeOf(() => TypedSegment.open(probe, name, { trustOwner: true, timeoutMs: 0 }).close()),
        "EUNTRUSTED",
      );
      expect(
        `${m} open(trustOwner, readonly)`,
        codeOf(() => Segment.open(name, { trustOwner: true, readonly: true }).close()),
        "EUNTRUSTED",
      );
      // Control: without trustOwner root opens it, and the refused create above did not grow it.
      expect(
        `${m} plain open, size unchanged`,
        codeOf(() => {
          using seg = Segment.open(name, { readonly: true });
          if (seg.size !== 64) throw new Error(`size ${seg.size}`);
        }),
        "ok",
      );
    }
    // The other direction: nobody against this user's segments.
    const tight = `/${prefix}r600`;
    const readable = `/${prefix}r644`;
    Segment.create(tight, { size: 64, mode: 0o600 }).close();
    Segment.create(readable, { size: 64, mode: 0o644 }).close();
    expect(
      "nobody opens 600",
      String((await child(["open", tight, "plain", "ro"], { asNobody: true })).code),
      "EACCES",
    );
    expect(
      "nobody trusts 644",
      String((await child(["open", readable, "trust", "ro"], { asNobody: true })).code),
      "EUNTRUSTED",
    );
    const plain = await child(["open", readable, "plain", "ro"], { asNobody: true });
    expect("nobody reads 644", plain.size === 64 ? "ok" : JSON.stringify(plain), "ok");
  } finally {
    removeWithPrefix(prefix);
  }
}

export async function runSecurity(umasks: readonly number[] = DEFAULT_UMASKS): Promise<SecurityReport> {
  const report: SecurityReport = {
    umasks: [],
    modesChecked: 0,
    squatChecks: 0,
    ownModesChecked: 0,
    skipped: undefined,
    failures: [],
  };
  await checkModes(report, umasks);
  checkOwnModes(report);
  if (canRunAsNobody()) await checkSquatting(report);
  else report.skipped = "not root with setpriv: cannot start a process as another user";
  return report;
}

/** `security: …` */
export function summarizeSecurity(r: SecurityReport): string {
  const umasks = r.umasks.map((u) => u.toString(8).padStart(3, "0")).join(",");
  const squat = r.skipped ? `squatting skipped (${r.skipped})` : `${r.squatChecks} squatting checks`;
  return (
    `security: modes exact in ${r.modesChecked} creates under umasks ${umasks}; ${r.ownModesChecked} modes ` +
    `judged by trustOwner; ${squat}; ${r.failures.length} failures${r.failures.length ? " FAILED" : ""}`
  );
}
