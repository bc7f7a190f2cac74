import { Rng } from "../rng.ts";

/**
 * The bad-input cases. A case is a pure function of (seed, index, prefix): the parent generates it to prepare the
 * segment it needs, the child generates the same case to run it, and a failure is replayed from the seed alone.
 */

/** A segment the parent (another process) makes before the child runs the case, then maybe truncates. */
export interface Prepared {
  /** Name without the leading slash; always starts with the run's prefix. */
  readonly base: string;
  readonly size: number;
  readonly mode: number;
  /** Size the parent truncates it to after creating it (0 = "its creator has not sized it yet"). */
  readonly truncateTo: number | undefined;
}

/** An odd descriptor for `Segment.fromFd`; the child makes it. */
export type FdKind =
  | { kind: "value"; value: unknown }
  | { kind: "closed" }
  | { kind: "stdin-pipe" }
  | { kind: "device"; path: "/dev/null" | "/dev/zero" | "/proc/self/status" }
  | { kind: "directory" }
  | { kind: "file"; size: number; flags: "r" | "r+" | "a" | "w" }
  | { kind: "prepared"; flags: "r" | "r+" };

/** A typed segment (or a foreign one) the parent makes, then corrupts, for `TypedSegment.open`. */
export interface PreparedTyped {
  readonly base: string;
  /** "typed": made by TypedSegment.create; the others are foreign segments of `size` bytes. */
  readonly kind: "typed" | "zero" | "random" | "foreign-magic";
  readonly size: number;
  readonly fingerprint: string;
  /** Header fields overwritten after create (byte offsets in HEADER). */
  readonly fields: { offset: number; width: 1 | 2 | 4; value: number }[];
  /** Random bytes overwritten: [offset, byte]. */
  readonly bytes: [number, number][];
  readonly truncateTo: number | undefined;
  /** Seed of the bytes of a "random" segment. */
  readonly fill: number;
}

/** A channel the parent makes, fills with a few messages, then corrupts, for `Channel.open`. */
export interface PreparedChannel {
  readonly base: string;
  readonly kind: "spsc" | "mpsc";
  readonly capacity: number;
  readonly messageSize: number;
  readonly fingerprint: string;
  /** Messages sent before the corruption. */
  readonly sent: number;
  /** Int32 words overwritten: [word index, value]. */
  readonly words: [number, number][];
  readonly truncateTo: number | undefined;
}

/** A process-shared mutex the parent initialises (or not), then corrupts, for `Mutex.at` and locking. */
export interface PreparedMutex {
  readonly base: string;
  readonly kind: "init" | "zero" | "random";
  readonly robust: boolean;
  readonly errorCheck: boolean;
  /** Int32 words of the mutex overwritten: [word index, value]. */
  readonly words: [number, number][];
  /** A kind word that passes Mutex.at's check (pshared bit plus known bits), written over the kind field. */
  readonly kindWord: number | undefined;
  readonly fill: number;
}

export type FuzzCase =
  | { index: number; op: "create"; name: unknown; options: unknown; prepared: Prepared | undefined }
  | { index: number; op: "open"; name: unknown; options: unknown; prepared: Prepared | undefined }
  | { index: number; op: "exists" | "unlink"; name: unknown; options: unknown; prepared: undefined }
  | { index: number; op: "fromFd"; fd: FdKind; options: unknown; prepared: Prepared | undefined }
  | { index: number; op: "anonymous"; options: unknown; prepared: undefined }
  | { index: number; op: "mutex"; name: string; mutex: PreparedMutex; prepared: undefined }
  | {
      index: number;
      op: "channel";
      name: string;
      expect: { kind?: "spsc" | "mpsc"; messageSize?: number; fingerprint?: string; readyTimeoutMs: number };
      channel: PreparedChannel;
      prepared: undefined;
    }
  | {
      index: number;
      op: "typed";
      name: string;
      expectFingerprint: string;
      timeoutMs: number;
      typed: PreparedTyped;
      prepared: undefined;
    };

const PAGE = 4096;

/** Sizes a test may really allocate stay small; bigger valid sizes are only ever sparse (reserve: false). */
const SPARSE_LIMIT = 16 << 20;

export function generateCase(seed: number, index: number, prefix: string): FuzzCase {
  const rng = Rng.forCase(seed, index);
  // The "_" keeps case 1's names from being a prefix of case 10's, so that cleanup of one case touches no other.
  const base = `${prefix}${index}_`;
  const op = rng.pick([
    "create",
    "create",
    "create",
    "open",
    "open",
    "open",
    "exists",
    "unlink",
    "fromFd",
    "fromFd",
    "anonymous",
    "typed",
    "typed",
    "channel",
    "channel",
    "mutex",
  ] as const);
  switch (op) {
    case "create": {
      const prepared = rng.chance(0.35) ? prepare(rng, base) : undefined;
      const name = prepared ? presentName(rng, base) : chaosName(rng, base);
      return { index, op, name, options: createOptions(rng), prepared };
    }
    case "open": {
      const prepared = rng.chance(0.6) ? prepare(rng, base) : undefined;
      const name = prepared && rng.chance(0.8) ? presentName(rng, base) : chaosName(rng, base);
      return { index, op, name, options: openOptions(rng), prepared };
    }
    case "exists":
    case "unlink":
      return {
        index,
        op,
        name: chaosName(rng, base),
        options: { ifExists: rng.chance(0.5) },
        prepared: undefined,
      };
    case "fromFd": {
      const fd = fdKind(rng);
      const prepared = fd.kind === "prepared" ? prepare(rng, base) : undefined;
      const options = rng.chance(0.1)
        ? rng.pick(weirdObjects)
        : { readonly: rng.pick([true, false, undefined]) };
      return { index, op, fd, options, prepared };
    }
    case "anonymous":
      return { index, op, options: anonymousOptions(rng), prepared: undefined };
    case "mutex":
      return { index, op, name: `/${base}`, mutex: mutexSegment(rng, base), prepared: undefined };
    case "channel": {
      const channel = channelSegment(rng, base);
      const expect: Extract<FuzzCase, { op: "channel" }>["expect"] = { readyTimeoutMs: 5 };
      if (rng.chance(0.3))
        expect.kind = rng.chance(0.8) ? channel.kind : channel.kind === "spsc" ? "mpsc" : "spsc";
      if (rng.chance(0.3))
        expect.messageSize = rng.chance(0.8) ? channel.messageSize : channel.messageSize + 1;
      if (rng.chance(0.3)) expect.fingerprint = rng.chance(0.8) ? channel.fingerprint : "other";
      return { index, op, name: `/${base}`, expect, channel, prepared: undefined };
    }
    case "typed": {
      const typed = typedSegment(rng, base);
      const expectFingerprint = rng.chance(0.8) ? typed.fingerprint : rng.pick(["fp-other", "", "fp-1-"]);
      const timeoutMs = rng.pick([0, 5, 20]);
      return { index, op, name: `/${base}`, expectFingerprint, timeoutMs, typed, prepared: undefined };
    }
  }
}

function mutexSegment(rng: Rng, base: string): PreparedMutex {
  const kind = rng.pick(["init", "init", "init", "zero", "random"] as const);
  const words: [number, number][] = [];
  for (let i = rng.pick([0, 1, 1, 2, 3]); i > 0; i--) {
    words.push([
      rng.int(0, 11),
      rng.pick([0, 1, -1, 0x80000000 | 0, 0x40000000, rng.int(1, 70000), rng.u32() | 0]),
    ]);
  }
  // pshared (128) plus random bits among the kind bits glibc defines (type, robust 16, PI 32, PP 64, …).
  const kindWord = kind !== "init" || rng.chance(0.3) ? 128 | (rng.u32() & 0x37f) : undefined;
  return {
    base,
    kind,
    robust: rng.chance(0.8),
    errorCheck: rng.chance(0.8),
    words,
    kindWord,
    fill: rng.u32(),
  };
}

function channelSegment(rng: Rng, base: string): PreparedChannel {
  const capacity = 2 ** rng.int(1, 6);
  const messageSize = rng.pick([1, 8, 13, 64, rng.int(1, 100)]);
  const words: [number, number][] = [];
  const weird = () =>
    rng.pick([0, 1, -1, 2, 3, 7, 8, 64, 320, 0x7fffffff, -0x80000000, rng.int(-1000, 1000), rng.u32() | 0]);
  for (let i = rng.pick([0, 1, 1, 2, 3]); i > 0; i--) {
    // Header words 0-9, head (16), tail (32), the wait words (48, 49, 64, 65), or words among the first slots.
    const index = rng.pick([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 16, 32, 48, 49, 64, 65, rng.int(80, 140)]);
    words.push([index, weird()]);
  }
  const truncateTo = rng.chance(0.15) ? rng.pick([0, 100, 300, 375, 376, 377, 400, 4096]) : undefined;
  const sent = rng.pick([0, 1, capacity - 1, capacity]);
  const kind = rng.pick(["spsc", "mpsc"] as const);
  return { base, kind, capacity, messageSize, fingerprint: rng.pick(["", "fp-a"]), sent, words, truncateTo };
}

function typedSegment(rng: Rng, base: string): PreparedTyped {
  const kind = rng.pick([
    "typed",
    "typed",
    "typed",
    "typed",
    "typed",
    "typed",
    "zero",
    "random",
    "foreign-magic",
  ] as const);
  const fields: PreparedTyped["fields"] = [];
  const bytes: PreparedTyped["bytes"] = [];
  if (kind === "typed") {
    const changes = rng.pick([0, 1, 1, 1, 2]);
    for (let i = 0; i < changes; i++) {
      fields.push(
        rng.pick<() => PreparedTyped["fields"][number]>([
          () => ({ offset: 0, width: 4, value: rng.pick([0, 0x53484d4b, 0x464c457f, rng.u32()]) }), // magic
          () => ({ offset: 4, width: 2, value: rng.pick([0, 1, 3, 0xffff]) }), // version
          () => ({
            offset: 6,
            width: 2,
            value: rng.pick([0, 8, 143, 191, 192, 224, 232, 256, 1024, 0xffff]),
          }), // data_offset
          () => ({ offset: 8, width: 4, value: rng.pick([0, 1, 3, 0xffffffff, rng.u32()]) }), // ready
          () => ({ offset: 12, width: 4, value: rng.pick([0, 23, 25, 0xffffffff]) }), // data_size
          () => ({ offset: 16 + rng.int(0, 5), width: 1, value: rng.pick([0x41, 0xff, 0x80]) }), // fingerprint
          () => ({ offset: 16 + 63, width: 1, value: 0x41 }), // fingerprint with no NUL at its end
          () => ({ offset: 80 + rng.int(0, 63), width: 1, value: rng.int(0, 255) }), // struct name
          () => ({ offset: 144 + rng.int(0, 31), width: 1, value: rng.int(0, 255) }), // target
          () => ({ offset: 176, width: 4, value: rng.pick([0, 2, 4, 1000, 0xffffffff]) }), // field_count
          () => ({ offset: 192 + rng.int(0, 47), width: 1, value: rng.int(0, 255) }), // field table
        ])(),
      );
    }
    if (rng.chance(0.2)) {
      const inHeader = rng.chance(0.5);
      for (let i = rng.int(1, 8); i > 0; i--)
        bytes.push([inHeader ? rng.int(0, 239) : rng.int(240, 263), rng.int(0, 255)]);
    }
  }
  const truncateTo = rng.chance(0.2)
    ? rng.pick([0, 1, 100, 191, 192, 200, 239, 240, 263, 264, 4096])
    : undefined;
  const size = kind === "typed" ? 264 : rng.pick([1, 191, 192, 264, 4096]);
  const fingerprint = rng.pick(["fp-1", "fp-1-a9f3", "x".repeat(63)]);
  return { base, kind, size, fingerprint, fields, bytes, truncateTo, fill: rng.u32() };
}

function prepare(rng: Rng, base: string): Prepared {
  const size = rng.pick([1, PAGE - 1, PAGE, PAGE + 1, rng.int(1, 5 * PAGE)]);
  const truncateTo = rng.chance(0.4) ? rng.pick([0, 1, rng.int(0, size * 2)]) : undefined;
  return { base, size, mode: rng.pick([0o600, 0o644, 0o666, 0o400, 0o000]), truncateTo };
}

/** The prepared segment's name as a caller may write it: with or without the slash. */
function presentName(rng: Rng, base: string): string {
  return rng.chance(0.5) ? `/${base}` : base;
}

const alphabet = [
  "a",
  "Z",
  "0",
  "_",
  "-",
  ".",
  " ",
  "%",
  "\x01",
  "\x1f",
  "\x7f",
  "\n",
  "é",
  "日",
  "😀",
  "\u0301",
  "\ud800",
  "\udfff",
  "\uffff",
] as const;

const weirdObjects: readonly unknown[] = [null, 42, "x", true, [], Symbol("opts"), 1n, () => 0];

/**
 * A name built from the run's unique base, so that any name valid enough to be created is the suite's own and is
 * cleaned up; or an invalid value or special name that can never name a real segment.
 */
export function chaosName(rng: Rng, base: string): unknown {
  const roll = rng.float();
  if (roll < 0.08) {
    return rng.pick([
      "",
      "/",
      "//",
      ".",
      "..",
      "/.",
      "/..",
      "\0",
      undefined,
      null,
      0,
      42,
      Number.NaN,
      {},
      [],
      [base],
      Symbol(base),
      7n,
      true,
      new String(`/${base}`),
    ]);
  }
  const lead = rng.pick(["/", "/", "/", "/", "", "", "//", "./", "\0/"]);
  if (roll < 0.3) {
    // Straddle NAME_MAX (255 bytes without the slash), with multi-byte characters that may cross it.
    const target = rng.int(248, 262);
    const fill = rng.pick(["a", "é", "日", "😀"]);
    let body = base;
    while (Buffer.byteLength(body) < target) body += fill;
    return lead + body;
  }
  let suffix = "";
  const length = rng.pick([0, 1, 2, rng.int(1, 12), rng.int(1, 40)]);
  for (let i = 0; i < length; i++) suffix += rng.chance(0.03) ? rng.pick(["/", "\0"]) : rng.pick(alphabet);
  return lead + base + suffix;
}

function size(rng: Rng): unknown {
  if (rng.chance(0.65)) return rng.pick([1, PAGE - 1, PAGE, PAGE + 1, rng.int(1, 3 * PAGE + 7)]);
  return rng.pick([
    0,
    -0,
    -1,
    -PAGE,
    0.5,
    PAGE + 0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    2 ** 32,
    2 ** 32 + 1,
    2 ** 53,
    Number.MAX_VALUE,
    SPARSE_LIMIT * 4,
    "4096",
    4096n,
    null,
    undefined,
    true,
    {},
    [PAGE],
    new Number(PAGE),
  ]);
}

function mode(rng: Rng): unknown {
  if (rng.chance(0.7)) return rng.int(0, 0o777);
  return rng.pick([-1, 0o1000, 0o4755, 0o7777, 1.5, Number.NaN, "0600", 0o600n, null, undefined]);
}

function maybe<T>(rng: Rng, value: () => T): T | undefined {
  return rng.chance(0.5) ? value() : undefined;
}

function bool(rng: Rng): unknown {
  return rng.pick([true, false, undefined, 0, 1, "no", null]);
}

/** Drops keys whose value is undefined half of the time, so that "absent" and "undefined" both occur. */
function object(rng: Rng, entries: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(entries)) {
    if (value === undefined && rng.chance(0.5)) continue;
    out[key] = value;
  }
  if (rng.chance(0.05)) out.unknownOption = rng.pick([1, "x", null]);
  return out;
}

function createOptions(rng: Rng): unknown {
  if (rng.chance(0.06)) return rng.pick([undefined, ...weirdObjects]);
  const options = object(rng, {
    size: size(rng),
    mode: maybe(rng, () => mode(rng)),
    exclusive: maybe(rng, () => bool(rng)),
    reserve: maybe(rng, () => bool(rng)),
    trustOwner: maybe(rng, () => bool(rng)),
  });
  // Really allocating gigabytes on a shared machine is not the point; the size checks are.
  if (typeof options.size === "number" && options.size > SPARSE_LIMIT) options.reserve = false;
  return options;
}

function openOptions(rng: Rng): unknown {
  if (rng.chance(0.06)) return rng.pick(weirdObjects);
  return object(rng, {
    readonly: maybe(rng, () => bool(rng)),
    trustOwner: maybe(rng, () => bool(rng)),
    minSize: maybe(rng, () => size(rng)),
  });
}

function anonymousOptions(rng: Rng): unknown {
  if (rng.chance(0.06)) return rng.pick([undefined, ...weirdObjects]);
  let label: unknown;
  if (rng.chance(0.5)) {
    label = rng.pick([
      "",
      "x",
      "a\0b",
      "é".repeat(124),
      "é".repeat(125),
      "a".repeat(249),
      "a".repeat(250),
      "😀",
      "\ud800",
      "/",
      42,
      null,
      undefined,
    ]);
  }
  const options = object(rng, { size: size(rng), label });
  if (typeof options.size === "number" && options.size > SPARSE_LIMIT) options.size = PAGE; // memfd always reserves
  return options;
}

function fdKind(rng: Rng): FdKind {
  return rng.pick<() => FdKind>([
    () => ({
      kind: "value",
      value: rng.pick([-1, -0, 0.5, Number.NaN, 2 ** 31, 2 ** 31 - 1, 2 ** 53, "3", 3n, null, undefined, {}]),
    }),
    () => ({ kind: "closed" }),
    () => ({ kind: "stdin-pipe" }),
    () => ({ kind: "device", path: rng.pick(["/dev/null", "/dev/zero", "/proc/self/status"] as const) }),
    () => ({ kind: "directory" }),
    () => ({
      kind: "file",
      size: rng.pick([0, 1, PAGE, rng.int(1, 3 * PAGE), 2 ** 32 - PAGE, 2 ** 32, 2 ** 32 + 1]),
      flags: rng.pick(["r", "r+", "a", "w"] as const),
    }),
    () => ({ kind: "prepared", flags: rng.pick(["r", "r+"] as const) }),
  ])();
}

/** A readable one-line rendering of a case for failure reports (handles bigint, symbol, NaN, NUL). */
export function describeCase(c: FuzzCase): string {
  const { index: _index, ...rest } = c;
  return JSON.stringify(rest, (_key, value: unknown) => {
    if (typeof value === "bigint") return `${value}n`;
    if (typeof value === "symbol") return value.toString();
    if (typeof value === "function") return "[function]";
    if (typeof value === "number" && !Number.isFinite(value)) return String(value);
    if (value === undefined) return "undefined";
    if (value instanceof String) return `new String(${JSON.stringify(value.valueOf())})`;
    return value;
  });
}
