import { ShmArgumentError, ShmError } from "../errors.ts";
import { openSized, openSizedAsync } from "../internal/open-sized.ts";
import { type CloseOptions, Segment } from "../segment.ts";
import { Condition } from "../sync/condition.ts";
import { Mutex } from "../sync/mutex.ts";
import { checkTimeout } from "../sync/placement.ts";
import { DEFAULT_READY_TIMEOUT_MS, READY_STATE, ReadyWord } from "../sync/ready.ts";
import { hostTarget } from "../targets/index.ts";
import type { LibcTypeName } from "../targets/table.ts";
import { type FieldDigest, firstDifference, readFieldTable, writeFieldTable } from "./fields.ts";
import { dataOffsetFor, HEADER, SHMKIT_FORMAT_VERSION, SHMKIT_MAGIC } from "./header.ts";
import { readCString, writeCString } from "./strings.ts";
import { type Views, viewsOf } from "./views.ts";

/** A process-shared object inside a struct that `create()` initialises; `offset` is from the struct's start. */
export interface SyncField {
  /** The field's path in the schema, for error messages. */
  readonly field: string;
  /** Byte offset from the start of the struct. */
  readonly offset: number;
  /** Which libc object it is. */
  readonly type: LibcTypeName;
}

/** What a generated accessor class gives the runtime: its constructor and its static layout facts. */
export interface TypedClass<T> {
  new (views: Views, base: number): T;
  /** The struct's C name. */
  readonly NAME: string;
  /** The target the code was generated for; it must be the host's to create, open or attach. */
  readonly TARGET: string;
  /** `sizeof` the struct on `TARGET`. */
  readonly SIZE: number;
  /** `_Alignof` the struct on `TARGET`. */
  readonly ALIGN: number;
  /** The layout fingerprint that `open()` compares with the header's. */
  readonly FINGERPRINT: string;
  /** The mutexes and condition variables that `create()` initialises. */
  readonly SYNC: readonly SyncField[];
  /** The struct's fields, for the header's field table (see `HEADER`). */
  readonly FIELDS: readonly FieldDigest[];
}

/** Options of `<Struct>.create()` (and `TypedSegment.create`). */
export interface TypedCreateOptions<T> {
  /** Permission bits (default `0o600`). */
  mode?: number;
  /** Sets initial values before the segment is marked ready, so no reader ever sees it half-made. */
  init?: (data: T) => void;
  /**
   * Bytes to add after the struct (default 0): room for a flexible array member at its end, whose accessor's
   * length is what fits between it and the end of the segment.
   */
  trailingBytes?: number;
  /**
   * Whether the struct's mutexes are robust (default true): a holder's death is then reported to the next locker
   * as `"owner-died"`. Where the kernel keeps no robust futex lists (qemu-user), `create()` throws ENOTSUP unless
   * this is false; see `Mutex.robustSupported`.
   */
  robust?: boolean;
}

/** Options of `<Struct>.open()` and `<Struct>.openAsync()`. */
export interface TypedOpenOptions {
  /** How long to wait for the creator to mark the segment ready (default 10 000 ms; 0: do not wait). */
  timeoutMs?: number;
  /** Refuse a segment another user owns or others can write (see `Segment.open`). */
  trustOwner?: boolean;
}

/**
 * A segment that holds one struct after a header (magic, format version, layout fingerprint, ready state), made
 * by `<Struct>.create()` and opened by `<Struct>.open()` in generated code. `data` is the struct's accessor.
 *
 * @example
 * ```ts
 * using shm = Shared.create("/orders", { init: (s) => { s.label = "orders" } });
 * shm.data.hits.add(1);
 * // another process, same generated code:
 * using other = Shared.open("/orders", { timeoutMs: 5000 });
 * ```
 */
export class TypedSegment<T> implements Disposable {
  /** The underlying segment, header included. */
  readonly segment: Segment;
  /** Where the struct starts in the segment. */
  readonly offset: number;
  /** The struct's accessor (an instance of the generated class). */
  readonly data: T;

  private constructor(segment: Segment, offset: number, data: T) {
    this.segment = segment;
    this.offset = offset;
    this.data = data;
  }

  /**
   * Creates `/name` (exclusively) sized for the header and the struct, initialises its process-shared mutexes
   * and condition variables, runs `options.init`, writes the header, then marks it ready and wakes waiting
   * openers. On any failure the half-made segment is unlinked.
   */
  static create<T>(type: TypedClass<T>, name: string, options: TypedCreateOptions<T> = {}): TypedSegment<T> {
    checkHost(type, `${type.NAME}.create`);
    const offset = dataOffsetFor(type.ALIGN, type.FIELDS.length);
    if (offset > 0xffff) {
      // The header keeps the struct's offset in a uint16: a larger one would be stored wrapped, and every open()
      // would then refuse the segment as corrupt.
      throw new ShmArgumentError(
        `${type.NAME}.ALIGN`,
        `must leave the struct's offset below 65536 for a typed segment (the header stores it in 16 bits; alignment ${type.ALIGN} and ${type.FIELDS.length} fields put it at ${offset}); use ${type.NAME}.attach() on a plain Segment`,
        type.ALIGN,
      );
    }
    const unsupported = type.SYNC.find((s) => s.type !== "pthread_mutex_t" && s.type !== "pthread_cond_t");
    if (unsupported) {
      throw new ShmArgumentError(
        unsupported.field,
        `must be a pthread_mutex_t or pthread_cond_t for create() to initialise it; initialise a ${unsupported.type} from C and use ${type.NAME}.attach()`,
        unsupported.type,
      );
    }
    const robust = options.robust ?? true;
    if (typeof robust !== "boolean")
      throw new ShmArgumentError("options.robust", "must be a boolean", robust);
    const trailing = options.trailingBytes ?? 0;
    if (!Number.isInteger(trailing) || trailing < 0) {
      throw new ShmArgumentError("options.trailingBytes", "must be an integer >= 0", trailing);
    }
    const segment = Segment.create(name, {
      size: offset + type.SIZE + trailing,
      ...(options.mode === undefined ? {} : { mode: options.mode }),
    });
    try {
      const views = viewsOf(segment);
      const data = new type(views, offset);
      ReadyWord.at(segment, HEADER.ready).initOnce(() => {
        for (const sync of type.SYNC) {
          if (sync.type === "pthread_mutex_t") Mutex.init(segment, offset + sync.offset, { robust });
          else Condition.init(segment, offset + sync.offset);
        }
        options.init?.(data);
        const dv = views.dv;
        dv.setUint16(HEADER.version, SHMKIT_FORMAT_VERSION, true);
        dv.setUint16(HEADER.dataOffset, offset, true);
        dv.setUint32(HEADER.dataSize, type.SIZE, true);
        writeCString(
          views.u8,
          HEADER.fingerprint,
          HEADER.textBytes,
          type.FINGERPRINT,
          `${type.NAME}.FINGERPRINT`,
        );
        writeCString(views.u8, HEADER.structName, HEADER.textBytes, type.NAME, `${type.NAME}.NAME`);
        writeCString(views.u8, HEADER.target, HEADER.targetBytes, type.TARGET, `${type.NAME}.TARGET`);
        writeFieldTable(dv, type.FIELDS);
        Atomics.store(views.u32, HEADER.magic >>> 2, SHMKIT_MAGIC);
      });
      return new TypedSegment(segment, offset, data);
    } catch (error) {
      segment.close();
      segment.unlink();
      throw error;
    }
  }

  /**
   * Opens `/name`, checks that it is big enough for a header, refuses a wrong magic (EMAGIC) at once, waits up to
   * `timeoutMs` until it is ready (ENOTREADY after that), then refuses a wrong version (EVERSION), a different
   * layout (EFINGERPRINT) or a segment too small for the struct (ESIZE). No field is read before all of that.
   * Blocks the JS thread while it waits; `openAsync` does not.
   */
  static open<T>(type: TypedClass<T>, name: string, options: TypedOpenOptions = {}): TypedSegment<T> {
    const call = `${type.NAME}.open`;
    const { segment, timeoutMs } = begin(type, name, options, call);
    try {
      try {
        ReadyWord.at(segment, HEADER.ready).waitReady({ timeoutMs });
      } catch (error) {
        throw notReady(error, segment, call, timeoutMs);
      }
      return TypedSegment.#checked(type, segment, call);
    } catch (error) {
      segment.close();
      throw error;
    }
  }

  /** `open()` that waits for the ready state without blocking the event loop. */
  static async openAsync<T>(
    type: TypedClass<T>,
    name: string,
    options: TypedOpenOptions = {},
  ): Promise<TypedSegment<T>> {
    const call = `${type.NAME}.openAsync`;
    const { segment, timeoutMs } = await beginAsync(type, name, options, call);
    try {
      try {
        await ReadyWord.at(segment, HEADER.ready).waitReadyAsync({ timeoutMs });
      } catch (error) {
        throw notReady(error, segment, call, timeoutMs);
      }
      return TypedSegment.#checked(type, segment, call);
    } catch (error) {
      segment.close();
      throw error;
    }
  }

  /** The checks after the segment is ready: magic, version, fingerprint, sizes; then the accessor. */
  static #checked<T>(type: TypedClass<T>, segment: Segment, call: string): TypedSegment<T> {
    const views = viewsOf(segment);
    const magic = () => Atomics.load(views.u32, HEADER.magic >>> 2);
    if (magic() !== SHMKIT_MAGIC) throw badMagic(call, segment.name, magic());
    const dv = views.dv;
    const version = dv.getUint16(HEADER.version, true);
    if (version !== SHMKIT_FORMAT_VERSION) {
      throw ShmError.of(
        "EVERSION",
        call,
        segment.name,
        `the segment has typed-segment format version ${version}, this shmkit reads version ${SHMKIT_FORMAT_VERSION}; use the same shmkit version on both sides`,
      );
    }
    const fingerprint = readCString(views.u8, HEADER.fingerprint, HEADER.textBytes);
    const offset = dv.getUint16(HEADER.dataOffset, true);
    const size = dv.getUint32(HEADER.dataSize, true);
    if (fingerprint !== type.FINGERPRINT) {
      const held = readCString(views.u8, HEADER.structName, HEADER.textBytes);
      const target = readCString(views.u8, HEADER.target, HEADER.targetBytes);
      const why = firstDifference(
        { name: type.NAME, target: type.TARGET, size: type.SIZE, fields: type.FIELDS },
        { struct: held, target, size, fields: readFieldTable(dv, Math.min(offset, segment.size)) },
      );
      throw ShmError.of(
        "EFINGERPRINT",
        call,
        segment.name,
        `the segment holds struct ${held} laid out for ${target} with fingerprint ${fingerprint}, but this code expects ${type.NAME} laid out for ${type.TARGET} with fingerprint ${type.FINGERPRINT}: ${why}. Generate both sides from the same schema (for a C peer on another target, use fixed-width types that both targets place alike), or re-create the segment`,
      );
    }
    if (
      size !== type.SIZE ||
      offset % type.ALIGN !== 0 ||
      offset < HEADER.fields + type.FIELDS.length * HEADER.fieldBytes
    ) {
      throw ShmError.of(
        "EFINGERPRINT",
        call,
        segment.name,
        `the header says the struct is ${size} bytes at offset ${offset}, but ${type.NAME} is ${type.SIZE} bytes aligned to ${type.ALIGN}; the header is corrupt`,
      );
    }
    if (offset + size > segment.size) {
      throw ShmError.of(
        "ESIZE",
        call,
        segment.name,
        `the segment has ${segment.size} bytes, fewer than the ${offset + size} its header and ${type.NAME} need; was it truncated?`,
      );
    }
    return new TypedSegment(segment, offset, new type(views, offset));
  }

  /**
   * The raw form, with no header: the struct at `offset` of a segment laid out by someone else (C code, a file
   * format). Checks bounds and alignment; it cannot check that the bytes there really are that struct.
   */
  static attach<T>(type: TypedClass<T>, segment: Segment, offset: number): T {
    const call = `${type.NAME}.attach`;
    checkHost(type, call);
    if (!(segment instanceof Segment)) throw new ShmArgumentError("segment", "must be a Segment", segment);
    if (segment.closed) {
      throw ShmError.of(
        "ECLOSED",
        call,
        segment.name,
        "the segment was closed in this process; open it again",
      );
    }
    if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0) {
      throw new ShmArgumentError("offset", "must be a non-negative integer", offset);
    }
    if (offset % type.ALIGN !== 0) {
      throw new ShmArgumentError(
        "offset",
        `must be a multiple of ${type.ALIGN} (the alignment of ${type.NAME})`,
        offset,
      );
    }
    if (offset + type.SIZE > segment.size) {
      throw new ShmArgumentError(
        "offset",
        `must leave the ${type.SIZE} bytes of ${type.NAME} inside the ${segment.size}-byte segment ${segment.name}`,
        offset,
      );
    }
    return new type(viewsOf(segment), offset);
  }

  /**
   * Unmaps the segment (see `Segment.close`: EBUSY while this thread holds a mutex in it, unless
   * `abandonLocks`); `data` must not be used after it.
   */
  close(options?: CloseOptions): void {
    this.segment.close(options);
  }

  /** Removes the segment's name (`shm_unlink`); mappings stay valid until closed. */
  unlink(): void {
    this.segment.unlink();
  }

  /** The end of a `using` block: closes, abandoning held mutexes like `Segment`'s dispose. */
  [Symbol.dispose](): void {
    this.segment[Symbol.dispose]();
  }
}

function checked(type: TypedClass<unknown>, options: TypedOpenOptions, call: string): number {
  checkHost(type, call);
  const timeoutMs = options.timeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  checkTimeout(timeoutMs);
  return timeoutMs;
}

const trust = (options: TypedOpenOptions) =>
  options.trustOwner === undefined ? {} : { trustOwner: options.trustOwner };

/**
 * The start of `open()`: argument checks, then `Segment.open`, waiting (within the time-out) while the segment is
 * still empty because its creator has not sized it yet, then the early magic check.
 */
function begin(
  type: TypedClass<unknown>,
  name: string,
  options: TypedOpenOptions,
  call: string,
): { segment: Segment; timeoutMs: number } {
  const timeoutMs = checked(type, options, call);
  const deadline = performance.now() + timeoutMs;
  return {
    segment: magicChecked(openSized(name, trust(options), HEADER.size, deadline, call), call),
    timeoutMs,
  };
}

/** `begin` for `openAsync()`: the wait for a size does not block the event loop. */
async function beginAsync(
  type: TypedClass<unknown>,
  name: string,
  options: TypedOpenOptions,
  call: string,
): Promise<{ segment: Segment; timeoutMs: number }> {
  const timeoutMs = checked(type, options, call);
  const deadline = performance.now() + timeoutMs;
  const segment = await openSizedAsync(name, trust(options), HEADER.size, deadline, call);
  return { segment: magicChecked(segment, call), timeoutMs };
}

/** A foreign segment fails at once (EMAGIC), not after the wait for ready. */
function magicChecked(segment: Segment, call: string): Segment {
  const magic = Atomics.load(viewsOf(segment).u32, HEADER.magic >>> 2);
  if (magic !== 0 && magic !== SHMKIT_MAGIC) {
    segment.close();
    throw badMagic(call, segment.name, magic);
  }
  return segment;
}

/** Turns ReadyWord's ETIMEDOUT into ENOTREADY with what the state says; other errors pass through. */
function notReady(error: unknown, segment: Segment, call: string, timeoutMs: number): unknown {
  if (!(error instanceof ShmError) || error.code !== "ETIMEDOUT") return error;
  const state = Atomics.load(viewsOf(segment).u32, HEADER.ready >>> 2);
  return ShmError.of(
    "ENOTREADY",
    call,
    segment.name,
    state === READY_STATE.initialising
      ? `not ready after ${timeoutMs} ms: its creator is still initialising it, or died doing so; if it died, unlink and re-create it`
      : `not ready after ${timeoutMs} ms: nothing has started to initialise it; is it a shmkit typed segment, and is its creator running?`,
  );
}

function checkHost(type: TypedClass<unknown>, call: string): void {
  const host = hostTarget().name;
  if (type.TARGET !== host) {
    throw new ShmArgumentError(
      `${type.NAME}.TARGET`,
      `must be this host's target ${host} for ${call} (accessors run in this process); generate the code for ${host}`,
      type.TARGET,
    );
  }
}

function badMagic(call: string, name: string, magic: number): ShmError {
  return ShmError.of(
    "EMAGIC",
    call,
    name,
    `the segment starts with 0x${(magic >>> 0).toString(16).padStart(8, "0")}, not shmkit's typed-segment magic 0x${SHMKIT_MAGIC.toString(16)}: it was not made by <Struct>.create(); use Segment.open() or <Struct>.attach() for raw layouts`,
  );
}
