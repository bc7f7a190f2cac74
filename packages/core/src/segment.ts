import { readdirSync, statSync } from "node:fs";
import { ShmArgumentError, ShmError } from "./errors.ts";
import { backend } from "./internal/ffi/index.ts";
import { growTo } from "./internal/grow.ts";
import { locksHeldIn } from "./internal/held-locks.ts";
import {
  F_ADD_SEALS,
  F_SEAL_GROW,
  F_SEAL_SEAL,
  F_SEAL_SHRINK,
  MAP_PRIVATE,
  MAP_SHARED,
  MFD_ALLOW_SEALING,
  MFD_CLOEXEC,
  O_CREAT,
  O_EXCL,
  O_RDONLY,
  O_RDWR,
  PROT_READ,
  PROT_WRITE,
} from "./internal/libc/constants.ts";
import { lastErrno } from "./internal/libc/errno.ts";
import { libc } from "./internal/libc/index.ts";
import { EBUSY } from "./internal/libc/pthread.ts";
import { fstatOf, type SegmentStat } from "./internal/stat.ts";
import { unmapBuffer } from "./internal/unmap.ts";
import { cName, normalizeName } from "./names.ts";

/**
 * A native address: bun:ffi's `Pointer`, declared here with the same shape so that shmkit's types need no
 * `@types/bun` (a `NativePointer` passes wherever bun:ffi takes a `Pointer`).
 */
export type NativePointer = number & {
  /** Brand only; no such property exists at run time. */
  __pointer__: null;
};

/** The largest segment shmkit maps: one ArrayBuffer can span at most 4 GiB in Bun. */
export const MAX_SEGMENT_SIZE = 2 ** 32;

const SHM_DIR = "/dev/shm";
const ENOENT = 2;
const EACCES = 13;
const EEXIST = 17;

/** Options of `Segment.create()`. */
export interface CreateOptions {
  /** Size in bytes, 1 to 4 GiB. A new segment is zero-filled. */
  size: number;
  /**
   * `true` (the default): fail with EEXIST if the name is taken, so you know you made it and nobody squats it.
   * `false`: create it, or open the existing one and grow it to `size` if it is smaller (never shrink).
   */
  exclusive?: boolean;
  /** Permission bits, applied exactly (the umask does not apply). Default `0o600`: only this user. */
  mode?: number;
  /**
   * Reserve the memory now with `posix_fallocate` (default `true`), so that a full /dev/shm fails here with
   * ENOSPC instead of killing the process with SIGBUS on first write.
   */
  reserve?: boolean;
  /** When an existing segment is opened (`exclusive: false`), require it to be trusted; see `OpenOptions`. */
  trustOwner?: boolean;
}

/** Options of `Segment.open()`. */
export interface OpenOptions {
  /**
   * Map the segment read-only for others: this process can never change what other processes see. See the
   * safety note on `Segment`.
   */
  readonly?: boolean;
  /**
   * Refuse (`EUNTRUSTED`) a segment that another user owns or that group or others can write: someone could
   * have created it first to feed you data (squatting).
   */
  trustOwner?: boolean;
  /** Refuse (`ESIZE`) a segment smaller than this many bytes, for example one truncated by another process. */
  minSize?: number;
}

/** Options of `Segment.anonymous()`. */
export interface AnonymousOptions {
  /** Size in bytes, 1 to 4 GiB. */
  size: number;
  /** A label for debugging; it shows in /proc/<pid>/fd as `memfd:<label>`. */
  label?: string;
}

/** Options of `Segment.close()` (and `TypedSegment.close()`). */
export interface CloseOptions {
  /**
   * What to do with mutexes in the segment that this thread still holds. `false` (the default): refuse, with
   * ShmError EBUSY, and leave the segment open so they can still be unlocked. `true`: give them up as if this
   * process had died holding them (a robust mutex's next `lock()`, in any process, returns `"owner-died"`; a
   * non-robust one stays locked), then close. `[Symbol.dispose]` (the end of a `using` block) does the latter.
   */
  abandonLocks?: boolean;
}

/** An entry of `Segment.list()`. */
export interface SegmentInfo extends SegmentStat {
  /** The segment name with its leading slash, as `Segment.open` takes it. */
  readonly name: string;
}

/**
 * A POSIX shared memory segment mapped into this process: `shm_open` → `ftruncate` → `mmap(MAP_SHARED)`.
 *
 * @example
 * ```ts
 * // C: int fd = shm_open("/orders", O_CREAT | O_EXCL | O_RDWR, 0600); ftruncate(fd, 4096);
 * //    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
 * using seg = Segment.create("/orders", { size: 4096 });
 * seg.bytes.set(new TextEncoder().encode("hello"));
 * // in another process:
 * using r = Segment.open("/orders", { readonly: true });
 * ```
 *
 * Safety:
 * - `buffer` and `bytes` point straight at shared memory. `close()` detaches them (their length becomes 0)
 *   before it unmaps, so a stale view reads `undefined` instead of touching unmapped memory. (Node 20 cannot
 *   detach them: there a stale view keeps its length and reads zeros from private pages left in the mapping's
 *   place until it is collected.)
 * - A read-only segment is mapped copy-on-write (`MAP_PRIVATE`, `PROT_READ | PROT_WRITE`) over a read-only
 *   descriptor. It sees what others write; a stray write through it can neither kill this process (a write to a
 *   `PROT_READ` mapping is SIGSEGV) nor reach other processes; it only makes that page a private copy that no
 *   longer follows the segment. Do not write through a read-only segment.
 * - shmkit never maps past the object's size (taken from `fstat`), so access through it cannot raise SIGBUS.
 *   Another process can still shrink a named segment after this one mapped it; anonymous segments are sealed
 *   against that.
 * - Forgetting `close()` keeps the mapping until the process exits, as in C; `using` closes it for you.
 */
export class Segment implements Disposable {
  /** `/orders` for a named segment, `memfd:<label>` or `fd <n>` otherwise. */
  readonly name: string;
  /** Mapped size in bytes (the object's size when it was mapped). */
  readonly size: number;
  /** True when this process cannot change what other processes see. */
  readonly readonly: boolean;
  /** True for segments with no name in /dev/shm (`anonymous()`, `fromFd()`). */
  readonly anonymous: boolean;
  #fd: number;
  #address: number;
  #buffer: ArrayBuffer | undefined;
  #bytes: Uint8Array | undefined;

  private constructor(
    name: string,
    fd: number,
    address: number,
    size: number,
    readonly: boolean,
    anonymous: boolean,
  ) {
    this.name = name;
    this.#fd = fd;
    this.#address = address;
    this.size = size;
    this.readonly = readonly;
    this.anonymous = anonymous;
  }

  /**
   * Creates a named segment: `shm_open(O_CREAT | O_EXCL | O_RDWR)`, `fchmod`, `ftruncate`, `posix_fallocate`,
   * `mmap`. If any step fails, the half-made segment is unlinked and nothing is left behind.
   */
  static create(name: string, options: CreateOptions): Segment {
    const shmName = normalizeName(name);
    checkOptions(options, true);
    const size = checkSize("size", options.size);
    const mode = checkMode(options.mode ?? 0o600);
    const exclusive = options.exclusive ?? true;
    const { fd, created } = openOrCreate(shmName, mode, exclusive);
    try {
      if (created) {
        // shm_open applies the umask; fchmod makes the mode exactly what was asked.
        call(libc().fchmod(fd, mode), "fchmod", shmName);
        growTo(fd, shmName, size, options.reserve ?? true);
      } else {
        const stat = fstatOf(fd, shmName);
        if (options.trustOwner) checkTrusted(stat, shmName);
        if (stat.size < size) growTo(fd, shmName, size, options.reserve ?? true);
      }
      return Segment.#map(shmName, fd, false, false);
    } catch (error) {
      libc().close(fd);
      if (created) libc().shm_unlink(cName(shmName));
      throw error;
    }
  }

  /** Opens an existing named segment and maps all of it; its size comes from `fstat`. */
  static open(name: string, options: OpenOptions = {}): Segment {
    const shmName = normalizeName(name);
    checkOptions(options, false);
    const minSize = options.minSize === undefined ? 1 : checkSize("minSize", options.minSize);
    const readonly = options.readonly ?? false;
    const fd = libc().shm_open(cName(shmName), readonly ? O_RDONLY : O_RDWR, 0);
    if (fd < 0) throw ShmError.fromErrno("shm_open", shmName, lastErrno());
    try {
      const stat = fstatOf(fd, shmName);
      if (options.trustOwner) checkTrusted(stat, shmName);
      if (stat.size < minSize) {
        throw ShmError.of(
          "ESIZE",
          "Segment.open",
          shmName,
          stat.size === 0
            ? "the segment is empty: its creator has not sized it yet, or another process truncated it"
            : `the segment has ${stat.size} bytes, fewer than the ${minSize} required`,
        );
      }
      return Segment.#map(shmName, fd, readonly, false);
    } catch (error) {
      libc().close(fd);
      throw error;
    }
  }

  /**
   * Creates a segment with no name, backed by `memfd_create`, for a parent and the children it spawns. Hand
   * `seg.fd` to a child in `Bun.spawn`'s `stdio` array and map it there with `Segment.fromFd`. Its size is
   * sealed, so no process can shrink it under another's mapping. Nothing appears in /dev/shm.
   *
   * @example
   * ```ts
   * using seg = Segment.anonymous({ size: 4096 });
   * Bun.spawn(["bun", "child.ts"], { stdio: ["inherit", "inherit", "inherit", seg.fd] }); // fd 3 in the child
   * // child.ts: using seg = Segment.fromFd(3);
   * ```
   */
  static anonymous(options: AnonymousOptions): Segment {
    checkOptions(options, true);
    const size = checkSize("size", options.size);
    const label = options.label ?? "shmkit";
    if (
      typeof label !== "string" ||
      label.length === 0 ||
      Buffer.byteLength(label) > 249 ||
      label.includes("\0")
    ) {
      throw new ShmArgumentError("label", "must be 1 to 249 bytes with no NUL", label);
    }
    const name = `memfd:${label}`;
    const fd = libc().memfd_create(Buffer.from(`${label}\0`), MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) throw ShmError.fromErrno("memfd_create", name, lastErrno());
    try {
      growTo(fd, name, size, true);
      call(
        libc().fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL),
        "fcntl(F_ADD_SEALS)",
        name,
      );
      return Segment.#map(name, fd, false, true);
    } catch (error) {
      libc().close(fd);
      throw error;
    }
  }

  /**
   * Maps a segment from a file descriptor this process inherited, such as fd 3 from `Bun.spawn`'s `stdio`.
   * The segment owns the descriptor from now on: `close()` closes it.
   */
  static fromFd(fd: number, options: { readonly?: boolean } = {}): Segment {
    checkOptions(options, false);
    if (!Number.isInteger(fd) || fd < 0 || fd > 0x7fffffff) {
      throw new ShmArgumentError("fd", "must be a non-negative integer file descriptor", fd);
    }
    const name = `fd ${fd}`;
    const stat = fstatOf(fd, name);
    if (stat.size < 1)
      throw ShmError.of("ESIZE", "Segment.fromFd", name, "the file is empty; nothing to map");
    return Segment.#map(name, fd, options.readonly ?? false, true);
  }

  /** Removes a segment's name (`shm_unlink`). Processes that have it mapped keep their memory until they close it. */
  static unlink(name: string, options: { ifExists?: boolean } = {}): boolean {
    const shmName = normalizeName(name);
    checkOptions(options, false);
    if (libc().shm_unlink(cName(shmName)) === 0) return true;
    const errno = lastErrno();
    if (errno === ENOENT && options.ifExists) return false;
    throw ShmError.fromErrno("shm_unlink", shmName, errno);
  }

  /** True if a segment of that name exists, even one this user may not open. */
  static exists(name: string): boolean {
    const shmName = normalizeName(name);
    const fd = libc().shm_open(cName(shmName), O_RDONLY, 0);
    if (fd >= 0) {
      libc().close(fd);
      return true;
    }
    const errno = lastErrno();
    if (errno === ENOENT) return false;
    if (errno === EACCES) return true;
    throw ShmError.fromErrno("shm_open", shmName, errno);
  }

  /** The named segments in /dev/shm (POSIX semaphores, `sem.*`, are left out), sorted by name. */
  static list(): SegmentInfo[] {
    const segments: SegmentInfo[] = [];
    for (const entry of readdirSync(SHM_DIR, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith("sem.")) continue;
      let stat: ReturnType<typeof statSync>;
      try {
        stat = statSync(`${SHM_DIR}/${entry.name}`);
      } catch {
        continue; // unlinked between readdir and stat
      }
      if (!stat) continue;
      segments.push({
        name: `/${entry.name}`,
        size: Number(stat.size),
        mode: Number(stat.mode) & 0o7777,
        uid: Number(stat.uid),
        gid: Number(stat.gid),
        mtime: stat.mtime,
      });
    }
    return segments.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  static #map(name: string, fd: number, readonly: boolean, anonymous: boolean): Segment {
    const size = fstatOf(fd, name).size;
    if (size > MAX_SEGMENT_SIZE) {
      throw ShmError.of("ESIZE", "mmap", name, `the segment has ${size} bytes; shmkit maps at most 4 GiB`);
    }
    // Read-only: a private copy-on-write mapping, so a stray write cannot SIGSEGV and cannot reach others.
    const flags = readonly ? MAP_PRIVATE : MAP_SHARED;
    const address = libc().mmap(null, size, PROT_READ | PROT_WRITE, flags, fd, 0);
    if (address === -1 || typeof address !== "number") throw ShmError.fromErrno("mmap", name, lastErrno());
    return new Segment(name, fd, address, size, readonly, anonymous);
  }

  /** True after `close()`. */
  get closed(): boolean {
    return this.#fd < 0;
  }

  /** The file descriptor, for handing an anonymous segment to a child process. */
  get fd(): number {
    this.#assertOpen("fd");
    return this.#fd;
  }

  /** The mapping's address, for passing to native code through bun:ffi. Offsets inside it, never the address, belong in shared memory. */
  get ptr(): NativePointer {
    this.#assertOpen("ptr");
    return this.#address as NativePointer;
  }

  /** An ArrayBuffer over the whole mapping (the same one every time). Detached by `close()`. */
  get buffer(): ArrayBuffer {
    this.#assertOpen("buffer");
    this.#buffer ??= backend().view(this.#address, this.size);
    return this.#buffer;
  }

  /** A Uint8Array over the whole mapping (the same one every time). Detached by `close()`. */
  get bytes(): Uint8Array {
    this.#assertOpen("bytes");
    this.#bytes ??= new Uint8Array(this.buffer);
    return this.#bytes;
  }

  /** Size, mode, owner and modification time of the object now (`fstat`). */
  stat(): SegmentStat {
    this.#assertOpen("stat");
    return fstatOf(this.#fd, this.name);
  }

  /**
   * Unmaps the segment and closes its descriptor. The segment itself lives on until it is unlinked and every
   * process has closed it. Calling `close()` again does nothing.
   *
   * A mutex in the segment that this thread holds is never unmapped: libc links each held robust mutex into the
   * thread's robust list through the mutex's own bytes, and would write into whatever is mapped there next. So
   * `close()` throws ShmError EBUSY naming their offsets and leaves everything as it was; unlock them and close
   * again, or pass `{ abandonLocks: true }` to hand them on as if this process had died.
   *
   * @example
   * ```ts
   * lock.lock();
   * seg.close();                          // ShmError EBUSY: this thread holds the mutex at offset 8 …
   * seg.close({ abandonLocks: true });    // the next lock() anywhere returns "owner-died"
   * ```
   */
  close(options?: CloseOptions): void {
    if (this.#fd < 0) return;
    checkOptions(options, false);
    const abandon = options?.abandonLocks ?? false;
    if (typeof abandon !== "boolean") {
      throw new ShmArgumentError("options.abandonLocks", "must be a boolean", abandon);
    }
    const held = locksHeldIn(this);
    if (held.length > 0) {
      if (!abandon) {
        const offsets = [...new Set(held.map((lock) => lock.offset))].sort((a, b) => a - b);
        throw new ShmError({
          code: "EBUSY",
          errno: EBUSY,
          syscall: "Segment.close",
          segment: this.name,
          detail: `this thread holds the mutex${offsets.length > 1 ? "es" : ""} at offset${offsets.length > 1 ? "s" : ""} ${offsets.join(", ")} in it; unlock() ${offsets.length > 1 ? "them" : "it"} first, or close({ abandonLocks: true }) to release ${offsets.length > 1 ? "them" : "it"} as if this process had died (the next lock() anywhere returns "owner-died")`,
        });
      }
      // Latest first, as a dying thread's list has them; one that cannot be abandoned stops the close.
      for (const lock of held) lock.abandon();
    }
    // Views that user code still holds become empty (zeros on Node 20) instead of pointing at unmapped memory.
    const buffer = this.#buffer;
    this.#buffer = undefined;
    this.#bytes = undefined;
    const fd = this.#fd;
    this.#fd = -1;
    unmapBuffer(buffer, this.#address, this.size);
    libc().close(fd);
  }

  /**
   * Removes this segment's name from /dev/shm (`shm_unlink`); mappings stay valid until closed. Does nothing for
   * an anonymous segment, which has no name. Works after `close()` too.
   */
  unlink(): void {
    if (this.anonymous) return;
    Segment.unlink(this.name);
  }

  /**
   * The end of a `using` block: closes, abandoning any mutex this thread still holds in the segment (an
   * exception inside a locked section), so that the next holder is told `"owner-died"` instead of waiting for ever.
   */
  [Symbol.dispose](): void {
    this.close({ abandonLocks: true });
  }

  #assertOpen(what: string): void {
    if (this.#fd < 0) {
      throw ShmError.of(
        "ECLOSED",
        `Segment.${what}`,
        this.name,
        "the segment was closed in this process; open it again",
      );
    }
  }
}

function openOrCreate(name: string, mode: number, exclusive: boolean): { fd: number; created: boolean } {
  const cname = cName(name);
  // A create-or-open can race with another process's unlink; the loop settles it.
  for (;;) {
    const fd = libc().shm_open(cname, O_CREAT | O_EXCL | O_RDWR, mode);
    if (fd >= 0) return { fd, created: true };
    const errno = lastErrno();
    if (errno !== EEXIST || exclusive) throw ShmError.fromErrno("shm_open", name, errno);
    const existing = libc().shm_open(cname, O_RDWR, 0);
    if (existing >= 0) return { fd: existing, created: false };
    const openErrno = lastErrno();
    if (openErrno !== ENOENT) throw ShmError.fromErrno("shm_open", name, openErrno);
  }
}

function call(result: number, syscall: string, name: string): void {
  if (result < 0) throw ShmError.fromErrno(syscall, name, lastErrno());
}

function checkTrusted(stat: SegmentStat, name: string): void {
  const uid = process.geteuid?.() ?? -1;
  if (stat.uid !== uid) {
    throw ShmError.of(
      "EUNTRUSTED",
      "Segment.open",
      name,
      `owned by uid ${stat.uid}, not by this user (uid ${uid})`,
    );
  }
  if ((stat.mode & 0o022) !== 0) {
    throw ShmError.of(
      "EUNTRUSTED",
      "Segment.open",
      name,
      `mode ${stat.mode.toString(8).padStart(4, "0")} lets group or others write it`,
    );
  }
}

/** Options come from users (and from JSON): anything but an object is an argument error, not a TypeError later. */
function checkOptions(options: unknown, required: boolean): void {
  if (options === undefined && !required) return;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new ShmArgumentError(
      "options",
      required ? "must be an object such as { size: 4096 }" : "must be an object or undefined",
      options,
    );
  }
}

function checkSize(argument: string, size: unknown): number {
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1 || size > MAX_SEGMENT_SIZE) {
    throw new ShmArgumentError(argument, `must be an integer from 1 to ${MAX_SEGMENT_SIZE} (4 GiB)`, size);
  }
  return size;
}

function checkMode(mode: unknown): number {
  if (typeof mode !== "number" || !Number.isInteger(mode) || mode < 0 || mode > 0o777) {
    throw new ShmArgumentError("mode", "must be permission bits from 0o000 to 0o777", mode);
  }
  return mode;
}
