/**
 * Every row of the benchmark: what to run, how much, and what it is compared with. Each case is a separate process
 * (or pair) that prints per-batch nanoseconds per operation; see lib/protocol.ts.
 */
export type Group = "roundtrip" | "stream" | "bulk" | "micro";

export interface Budget {
  batches: number;
  per: number;
}

export interface Case {
  id: string;
  group: Group;
  label: string;
  /** Two processes on two different cores (taskset), or left to the scheduler. */
  pinned: boolean;
  /** Message size for bulk rows. */
  bytes?: number;
  /** The row this one is divided by: the C baseline of its kind. */
  baseline?: string;
  budget: Budget;
  command(cpuA: number, cpuB: number, budget: Budget): string[];
}

export interface Tools {
  bun: string;
  node: string | null;
  /** Node 26 and Deno 2 from scripts/install-runtimes.sh, for the rows that run core's dist on them. */
  node26: string | null;
  /** The machine's Node 20–25, only when core's dist runs on it (lib/older-node.ts: the koffi back-end). */
  node20: { path: string; version: string } | null;
  deno: string | null;
  cbin: string;
  pin: boolean;
  quick: boolean;
}

const CASES_DIR = `${import.meta.dir}/cases`;
const MiB = 1024 * 1024;

function flags(cpuA: number, cpuB: number, b: Budget, extra: string[] = []): string[] {
  return [
    "--batches",
    String(b.batches),
    "--per",
    String(b.per),
    "--cpu-a",
    String(cpuA),
    "--cpu-b",
    String(cpuB),
    ...extra,
  ];
}

const pinPrefix = (cpu: number): string[] => (cpu >= 0 ? ["taskset", "-c", String(cpu)] : []);

export function allCases(tools: Tools): Case[] {
  const q = tools.quick;
  const scale = (batches: number, per: number): Budget => ({
    batches: q ? Math.min(3, batches) : batches,
    per: q ? Math.max(1, Math.ceil(per / 4)) : per,
  });
  const cases: Case[] = [];
  const pinnings = tools.pin ? [false, true] : [false];
  for (const pinned of pinnings) {
    const tag = pinned ? "pinned" : "unpinned";
    const c = (mode: string, label: string, budget: Budget): Case => ({
      id: `rt-c-${mode}-${tag}`,
      group: "roundtrip",
      label,
      pinned,
      baseline: `rt-c-spin-${tag}`,
      budget,
      // The C program pins itself (and its forked child) with sched_setaffinity.
      command: (a, b, budget) => [
        tools.cbin,
        mode,
        String(a),
        String(b),
        String(budget.batches),
        String(budget.per),
      ],
    });
    cases.push(
      c("spin", "C spin", scale(30, 2000)),
      c("hybrid", "C hybrid spin→futex", scale(30, 2000)),
      c("futex", "C futex", scale(15, 200)),
      c("condvar", "C pthread condvar", scale(15, 200)),
    );
    const js = (id: string, label: string, script: string, budget: Budget, runtime = tools.bun): Case => ({
      id: `rt-${id}-${tag}`,
      group: "roundtrip",
      label,
      pinned,
      baseline: `rt-c-spin-${tag}`,
      budget,
      command: (a, b, budget) => [...pinPrefix(a), runtime, `${CASES_DIR}/${script}`, ...flags(a, b, budget)],
    });
    for (const [mode, label] of [
      ["spin", "shmkit channel, spin"],
      ["hybrid", "shmkit channel, hybrid (spin 20 µs → futex)"],
    ] as const) {
      cases.push({
        // Same batch size as the C spin rows: a batch that a preemption lands in is spoiled, and longer batches
        // would be spoiled more often, biasing the median against the longer side.
        ...js(`shmkit-${mode}`, label, "shmkit-roundtrip.ts", scale(30, 2000)),
        command: (a, b, budget) => [
          ...pinPrefix(a),
          tools.bun,
          `${CASES_DIR}/shmkit-roundtrip.ts`,
          ...flags(a, b, budget, ["--mode", mode]),
        ],
      });
    }
    cases.push({
      ...js("shmkit-blocking", "shmkit channel, blocking (futex)", "shmkit-roundtrip.ts", scale(12, 200)),
      command: (a, b, budget) => [
        ...pinPrefix(a),
        tools.bun,
        `${CASES_DIR}/shmkit-roundtrip.ts`,
        ...flags(a, b, budget, ["--mode", "blocking"]),
      ],
    });
    cases.push(
      js(
        "shmkit-wait-async",
        "shmkit WaitWord.waitAsync ↔ wait (futex)",
        "shmkit-wait-async.ts",
        scale(12, 200),
      ),
    );
    cases.push(js("bun-ipc", "Bun IPC (Bun.spawn ipc)", "bun-ipc.ts", scale(12, 200)));
    // The other runtimes: the same channel round trip from core's dist, and each runtime's own IPC.
    for (const [id, name, command] of otherRuntimes(tools)) {
      for (const [mode, label] of [
        ["spin", "spin"],
        ["hybrid", "hybrid"],
      ] as const) {
        cases.push({
          ...js(
            `${id}-shmkit-${mode}`,
            `${name}: shmkit channel, ${label}`,
            "shmkit-roundtrip.mjs",
            scale(30, 2000),
          ),
          command: (a, b, budget) => [
            ...pinPrefix(a),
            ...command,
            `${CASES_DIR}/shmkit-roundtrip.mjs`,
            ...flags(a, b, budget, ["--mode", mode, "--runtime", JSON.stringify(command)]),
          ],
        });
      }
    }
    const nodeForIpc = tools.node26 ?? tools.node;
    if (nodeForIpc)
      cases.push(js("node-ipc", "Node IPC (child_process.fork)", "node-ipc.mjs", scale(8, 200), nodeForIpc));
    // The row above runs on Node 26 when it is installed; the older Node's shmkit rows get their own IPC beside them.
    if (tools.node20 && nodeForIpc !== tools.node20.path) {
      cases.push(
        js(
          "node20-ipc",
          `${olderNodeName(tools.node20.version)}: Node IPC (child_process.fork)`,
          "node-ipc.mjs",
          scale(8, 200),
          tools.node20.path,
        ),
      );
    }
    if (tools.deno) {
      const deno = denoCommand(tools.deno);
      cases.push({
        ...js("deno-uds", "Deno: Unix domain socket (node:net)", "uds.mjs", scale(8, 200)),
        command: (a, b, budget) => [
          ...pinPrefix(a),
          ...deno,
          `${CASES_DIR}/uds.mjs`,
          ...flags(a, b, budget, ["--runtime", JSON.stringify(deno)]),
        ],
      });
    }
    cases.push(js("uds", "Unix domain socket (Bun)", "uds.ts", scale(12, 300)));
    cases.push(js("pipe", "pipe (mkfifo, sync I/O)", "pipe.ts", scale(12, 300)));
  }
  // Streaming and bulk run pinned when possible: they measure bandwidth, and migrations only add noise.
  const sa = tools.pin ? 0 : -1;
  const sb = tools.pin ? 1 : -1;
  cases.push({
    id: "stream-c-ring",
    group: "stream",
    label: "C SPSC ring",
    pinned: tools.pin,
    budget: scale(15, 400_000),
    command: (_a, _b, budget) => [
      tools.cbin,
      "ring",
      String(sa),
      String(sb),
      String(budget.batches),
      String(budget.per),
    ],
  });
  for (const [mode, label] of [
    ["spsc", "shmkit SPSC channel"],
    ["mpsc", "shmkit MPSC channel, 2 producers"],
  ] as const) {
    cases.push({
      id: `stream-shmkit-${mode}`,
      group: "stream",
      label,
      pinned: tools.pin,
      baseline: "stream-c-ring",
      budget: scale(15, 400_000),
      command: (_a, _b, budget) => [
        ...pinPrefix(sa),
        tools.bun,
        `${CASES_DIR}/shmkit-stream.ts`,
        ...flags(sa, sb, budget, ["--mode", mode]),
      ],
    });
  }
  // The same SPSC stream with producer and consumer in another runtime, from core's dist, against the same C ring.
  const streamJs = (id: string, label: string, consumer: string[], producer: string[]): Case => ({
    id: `stream-${id}-spsc`,
    group: "stream",
    label,
    pinned: tools.pin,
    baseline: "stream-c-ring",
    budget: scale(15, 400_000),
    command: (_a, _b, budget) => [
      ...pinPrefix(sa),
      ...consumer,
      `${CASES_DIR}/shmkit-stream.mjs`,
      ...flags(sa, sb, budget, [
        "--runtime",
        JSON.stringify(consumer),
        "--producer-runtime",
        JSON.stringify(producer),
      ]),
    ],
  });
  for (const [id, name, command] of otherRuntimes(tools)) {
    cases.push(streamJs(id, `${name}: shmkit SPSC channel`, command, command));
  }
  const node26 = otherRuntimes(tools).find(([id]) => id === "node");
  if (node26) {
    cases.push(
      streamJs("bun-to-node", "Bun producer → Node 26 consumer: shmkit SPSC channel", node26[2], [tools.bun]),
    );
  }
  cases.push({
    id: "micro-c-mutex",
    group: "micro",
    label: "C pthread mutex lock+unlock (pshared, robust, errorcheck)",
    pinned: tools.pin,
    budget: scale(15, 200_000),
    command: (_a, _b, budget) => [
      tools.cbin,
      "mutex",
      String(sa),
      "-1",
      String(budget.batches),
      String(budget.per),
    ],
  });
  // What one FFI trip costs on each other runtime: an uncontended lock()+unlock() through core's dist.
  for (const [id, name, command] of otherRuntimes(tools)) {
    cases.push({
      id: `micro-${id}-mutex`,
      group: "micro",
      label: `${name}: shmkit Mutex lock+unlock (dist)`,
      pinned: tools.pin,
      baseline: "micro-c-mutex",
      budget: scale(15, 200_000),
      command: (_a, _b, budget) => [
        ...pinPrefix(sa),
        ...command,
        `${CASES_DIR}/mutex.mjs`,
        ...flags(sa, -1, budget),
      ],
    });
  }
  // What one libc call through each runtime's FFI costs: WaitWord.notify() with nobody waiting is one
  // syscall(SYS_futex, FUTEX_WAKE) through core's port (a channel's wake-up when nobody sleeps), against C making
  // the same syscall. Bun runs the script on core's src, the others on its dist.
  cases.push({
    id: "micro-c-futex-wake",
    group: "micro",
    label: "C syscall(SYS_futex, FUTEX_WAKE), no waiters",
    pinned: tools.pin,
    budget: scale(15, 100_000),
    command: (_a, _b, budget) => [
      tools.cbin,
      "futex-wake",
      String(sa),
      "-1",
      String(budget.batches),
      String(budget.per),
    ],
  });
  for (const [id, name, command] of [
    ["bun", "Bun (bun:ffi)", [tools.bun]] as [string, string, string[]],
    ...otherRuntimes(tools),
  ]) {
    cases.push({
      id: `micro-${id}-futex-wake`,
      group: "micro",
      label: `${name}: shmkit WaitWord.notify(), no waiters (one FUTEX_WAKE)`,
      pinned: tools.pin,
      baseline: "micro-c-futex-wake",
      budget: scale(15, 100_000),
      command: (_a, _b, budget) => [
        ...pinPrefix(sa),
        ...command,
        `${CASES_DIR}/futex-wake.mjs`,
        ...flags(sa, -1, budget),
      ],
    });
  }
  for (const bytes of [64 * 1024, MiB, 16 * MiB]) {
    const per = Math.max(2, Math.round((16 * MiB) / bytes / 2));
    cases.push({
      id: `bulk-c-memcpy-${bytes}`,
      group: "bulk",
      label: `C memcpy ${formatBytes(bytes)}`,
      pinned: tools.pin,
      bytes,
      budget: scale(15, per),
      command: (_a, _b, budget) => [
        tools.cbin,
        "memcpy",
        String(sa),
        "-1",
        String(budget.batches),
        String(budget.per),
        String(bytes),
      ],
    });
    cases.push({
      id: `bulk-shmkit-${bytes}`,
      group: "bulk",
      label: `shmkit channel ${formatBytes(bytes)}`,
      pinned: tools.pin,
      bytes,
      baseline: `bulk-c-memcpy-${bytes}`,
      budget: scale(15, per),
      command: (a, b, budget) => [
        ...pinPrefix(sa),
        tools.bun,
        `${CASES_DIR}/shmkit-bulk.ts`,
        ...flags(a, b, budget, ["--bytes", String(bytes)]),
      ],
    });
  }
  return cases;
}

export function formatBytes(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / 1024} KiB`;
}

/** The command that runs a script on Deno with what core and the cases need (FFI, a child process, a socket). */
function denoCommand(deno: string): string[] {
  return [
    deno,
    "run",
    "--allow-ffi",
    "--allow-run",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-net",
  ];
}

/** [id, name, command] for each installed runtime other than Bun that runs core's dist. */
function otherRuntimes(tools: Tools): [string, string, string[]][] {
  const out: [string, string, string[]][] = [];
  if (tools.node26)
    out.push(["node", "Node 26 (node:ffi)", [tools.node26, "--no-warnings=ExperimentalWarning"]]);
  if (tools.node20) out.push(["node20", olderNodeName(tools.node20.version), [tools.node20.path]]);
  if (tools.deno) out.push(["deno", "Deno 2 (Deno.dlopen)", denoCommand(tools.deno)]);
  return out;
}

/** "Node 20 (koffi)" for v20.20.2: Node before 26 has no node:ffi, and core's dist runs there only on koffi. */
function olderNodeName(version: string): string {
  return `Node ${version.replace(/^v/, "").split(".")[0]} (koffi)`;
}
