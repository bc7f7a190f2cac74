// Runs bad-input cases start … start+count-1 of a seeded run and prints one JSON array of outcomes.
// Usage: bun child.ts <seed> <prefix> <start> <count>
// A case that kills this process (SIGSEGV, SIGBUS) or hangs it is found by the parent, which bisects the batch.
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { Channel, Mutex, Segment, ShmArgumentError, ShmError, TypedSegment } from "@shmkit/core";
import { type FdKind, type FuzzCase, generateCase } from "./cases.ts";
import { expectedChannelOpen } from "./channel-header.ts";
import { probeClass } from "./probe.ts";
import { expectedOpen } from "./typed-header.ts";

export interface Outcome {
  i: number;
  /** ok: the call succeeded and every invariant held; typed: ShmError/ShmArgumentError; untyped: any other throw. */
  r: "ok" | "typed" | "untyped" | "violation";
  detail?: string;
  /** For typed errors: the ShmError code, or `arg:<argument>` for a ShmArgumentError. */
  code?: string;
  /** The operation the case called. */
  op?: string;
}

const PAGE = 4096;
const TOUCH_ALL_LIMIT = 1 << 20;

class Violation extends Error {}

function check(condition: boolean, what: string): void {
  if (!condition) throw new Violation(what);
}

/** Reads and rewrites one byte per page (all pages of small mappings): a mapping past the object would SIGBUS. */
function touch(seg: Segment): void {
  const bytes = seg.bytes;
  check(bytes.length === seg.size, `bytes.length ${bytes.length} != size ${seg.size}`);
  const stat = seg.stat();
  check(stat.size >= seg.size, `mapped ${seg.size} bytes of an object of ${stat.size}`);
  const offsets: number[] = [];
  if (seg.size <= TOUCH_ALL_LIMIT) for (let o = 0; o < seg.size; o += PAGE) offsets.push(o);
  else offsets.push(0, seg.size - PAGE);
  offsets.push(seg.size - 1);
  for (const o of offsets) {
    const value = bytes[o];
    check(value !== undefined, `byte ${o} of ${seg.size} reads undefined`);
    bytes[o] = value ?? 0;
  }
}

/** After close(), old views are detached and every accessor throws ECLOSED. */
function closeAndCheck(seg: Segment): void {
  const view = seg.bytes;
  seg.close();
  check(view.length === 0, `a view kept ${view.length} bytes after close()`);
  check(view[0] === undefined, "a view still reads memory after close()");
  for (const read of [() => seg.bytes, () => seg.buffer, () => seg.fd, () => seg.ptr, () => seg.stat()]) {
    try {
      read();
      check(false, "an accessor worked after close()");
    } catch (error) {
      check(error instanceof ShmError && error.code === "ECLOSED", `after close(): ${String(error)}`);
    }
  }
  seg.close(); // twice does nothing
}

function existingSize(c: FuzzCase): number | undefined {
  if (!c.prepared) return undefined;
  return c.prepared.truncateTo ?? c.prepared.size;
}

function optionOf(options: unknown, key: string): unknown {
  return typeof options === "object" && options !== null
    ? (options as Record<string, unknown>)[key]
    : undefined;
}

function runCreate(c: Extract<FuzzCase, { op: "create" }>): void {
  const seg = Segment.create(c.name as string, c.options as never);
  const existing = existingSize(c);
  const exclusive = optionOf(c.options, "exclusive") ?? true;
  const size = optionOf(c.options, "size") as number;
  try {
    if (existing !== undefined) {
      check(!exclusive, "an exclusive create succeeded over an existing segment");
      check(seg.size === Math.max(existing, size), `size ${seg.size}, expected max(${existing}, ${size})`);
    } else {
      check(seg.size === size, `size ${seg.size}, asked ${size}`);
      const mode = (optionOf(c.options, "mode") as number | null | undefined) ?? 0o600;
      const got = seg.stat().mode;
      check(got === mode, `mode ${got.toString(8)}, asked ${mode.toString(8)}`);
    }
    touch(seg);
  } finally {
    if (existing === undefined) seg.unlink();
    closeAndCheck(seg);
  }
}

function runOpen(c: Extract<FuzzCase, { op: "open" }>): void {
  const seg = Segment.open(c.name as string, c.options as never);
  const existing = existingSize(c);
  check(existing !== undefined, "opened a segment that was never made");
  check(seg.size === existing, `size ${seg.size}, the object has ${existing}`);
  const minSize = optionOf(c.options, "minSize");
  check(typeof minSize !== "number" || seg.size >= minSize, `size ${seg.size} < minSize ${minSize}`);
  touch(seg);
  closeAndCheck(seg);
}

/** Makes the descriptor the case asks for; returns it and whether the case still owns it. */
function makeFd(kind: FdKind, dir: string, c: FuzzCase): unknown {
  switch (kind.kind) {
    case "value":
      return kind.value;
    case "closed": {
      const fd = openSync("/dev/null", "r");
      closeSync(fd);
      return fd;
    }
    case "stdin-pipe":
      return 0;
    case "device":
      return openSync(kind.path, "r");
    case "directory":
      return openSync(dir, "r");
    case "file": {
      const path = `${dir}/f${c.index}`;
      const fd = openSync(path, "w+");
      if (kind.size > 0) {
        truncateSync(path, kind.size);
        writeSync(fd, "x", 0);
      }
      closeSync(fd);
      return openSync(path, kind.flags);
    }
    case "prepared":
      return openSync(`/dev/shm/${c.prepared?.base}`, kind.flags);
  }
}

function runFromFd(c: Extract<FuzzCase, { op: "fromFd" }>, dir: string): void {
  const fd = makeFd(c.fd, dir, c);
  const owned = typeof fd === "number" && c.fd.kind !== "value" && c.fd.kind !== "closed" && fd > 2;
  let seg: Segment | undefined;
  try {
    seg = Segment.fromFd(fd as number, c.options as never);
    touch(seg);
    closeAndCheck(seg);
  } finally {
    if (seg === undefined && owned) closeSync(fd);
    if (c.fd.kind === "file") rmSync(`${dir}/f${c.index}`, { force: true });
  }
}

function runAnonymous(c: Extract<FuzzCase, { op: "anonymous" }>): void {
  const seg = Segment.anonymous(c.options as never);
  check(seg.size === optionOf(c.options, "size"), `size ${seg.size}`);
  check(seg.anonymous, "not marked anonymous");
  touch(seg);
  closeAndCheck(seg);
}

/** Opens a corrupted or foreign typed segment; the outcome must be the one the header model predicts. */
function runTyped(c: Extract<FuzzCase, { op: "typed" }>): void {
  const expected = expectedOpen(c.typed, c.expectFingerprint);
  let shm: TypedSegment<ReturnType<typeof probeClass> extends new (...a: never[]) => infer T ? T : never>;
  try {
    shm = TypedSegment.open(probeClass(c.expectFingerprint), c.name, { timeoutMs: c.timeoutMs });
  } catch (error) {
    if (error instanceof ShmError) {
      check(error.code === expected, `expected ${expected}, got ${error.code}: ${error.message}`);
    }
    throw error;
  }
  check(expected === "ok", `expected ${expected}, but open() succeeded`);
  check(typeof shm.data.price === "number" && shm.data.qty >= 0 && shm.data.tag >= 0, "data unreadable");
  touch(shm.segment);
  closeAndCheck(shm.segment);
}

/**
 * Opens a corrupted channel (header words, positions, slots, size); the outcome must be the one the header
 * model predicts, and a channel that opens must then receive and send without crashing or hanging.
 */
function runChannel(c: Extract<FuzzCase, { op: "channel" }>): void {
  const expected = expectedChannelOpen(c.channel, c.expect);
  let channel: Channel;
  try {
    channel = Channel.open(c.name, c.expect);
  } catch (error) {
    if (error instanceof ShmError) {
      check(error.code === expected, `expected ${expected}, got ${error.code}: ${error.message}`);
    }
    throw error;
  }
  check(expected === "ok", `expected ${expected}, but open() succeeded`);
  try {
    const rx = channel.receiver();
    for (let i = 0; i <= channel.capacity + 1 && rx.tryRecv() !== undefined; i++);
    rx.peekWait({ timeoutMs: 2 });
    const tx = channel.sender();
    const message = new Uint8Array(Math.max(0, Math.min(channel.messageSize, 5))).fill(7);
    for (let i = 0; i < 3; i++) tx.trySend(message);
  } finally {
    channel.close();
  }
}

/**
 * Attaches to a corrupted (or never initialised) mutex and locks it, always with a time-out: a typed error or the
 * lock, never a signal or a hang. (`Mutex.at` documents that garbage can pass its check; locking must still end.)
 */
function runMutex(c: Extract<FuzzCase, { op: "mutex" }>): void {
  using seg = Segment.open(c.name);
  const mutex = Mutex.at(seg, 0);
  const first = mutex.tryLock();
  if (first !== "busy") {
    if (first === "owner-died") mutex.markConsistent();
    mutex.unlock();
  }
  const second = mutex.lock({ timeoutMs: 5 });
  if (second === "owner-died") mutex.markConsistent();
  mutex.unlock();
}

function runCase(c: FuzzCase, dir: string): void {
  switch (c.op) {
    case "create":
      runCreate(c);
      return;
    case "open":
      runOpen(c);
      return;
    case "exists": {
      const exists = Segment.exists(c.name as string);
      check(typeof exists === "boolean", "exists() did not return a boolean");
      return;
    }
    case "unlink":
      Segment.unlink(c.name as string, c.options as never);
      return;
    case "fromFd":
      runFromFd(c, dir);
      return;
    case "anonymous":
      runAnonymous(c);
      return;
    case "typed":
      runTyped(c);
      return;
    case "channel":
      runChannel(c);
      return;
    case "mutex":
      runMutex(c);
      return;
  }
}

export function outcomeOf(index: number, action: () => void): Outcome {
  try {
    action();
    return { i: index, r: "ok" };
  } catch (error) {
    if (error instanceof Violation) return { i: index, r: "violation", detail: error.message };
    if (error instanceof ShmError || error instanceof ShmArgumentError) {
      const good = error.message.length > 0 && (error instanceof ShmArgumentError || error.code.length > 0);
      if (!good) return { i: index, r: "violation", detail: "a typed error with no message or code" };
      const code = error instanceof ShmError ? String(error.code) : `arg:${error.argument}`;
      return { i: index, r: "typed", detail: error.message, code };
    }
    const name = error instanceof Error ? error.constructor.name : typeof error;
    return {
      i: index,
      r: "untyped",
      detail: `${name}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

if (import.meta.main) {
  const [seedArg, prefix = "", startArg, countArg] = process.argv.slice(2);
  const seed = Number(seedArg);
  const start = Number(startArg);
  const count = Number(countArg);
  const dir = mkdtempSync(`${tmpdir()}/shmkit-rel-`);
  const outcomes: Outcome[] = [];
  // Fault injection, so that the suite's own tests can show that a crash or a hang is caught and attributed.
  const crashAt = Number(process.env.SHMKIT_RELIABILITY_CRASH_AT ?? -1);
  const hangAt = Number(process.env.SHMKIT_RELIABILITY_HANG_AT ?? -1);
  try {
    for (let i = start; i < start + count; i++) {
      // Synchronous, so that it is out before a crash: the parent learns which case was running.
      writeSync(2, `@case ${i}\n`);
      if (i === crashAt) process.kill(process.pid, "SIGSEGV");
      if (i === hangAt) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      const c = generateCase(seed, i, prefix);
      outcomes.push({ ...outcomeOf(i, () => runCase(c, dir)), op: c.op });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await Bun.write(Bun.stdout, `${JSON.stringify(outcomes)}\n`);
}
