/** Size and alignment, in bytes, of a C type as a member of a struct. */
export interface TypeInfo {
  readonly size: number;
  readonly align: number;
}

export type TargetName =
  | "x86_64-linux-gnu"
  | "aarch64-linux-gnu"
  | "i686-linux-gnu"
  | "x86_64-linux-musl"
  | "aarch64-linux-musl"
  | "aarch64-apple-darwin"
  | "x86_64-apple-darwin";

/** The libc types that live inside shared segments. */
export type LibcTypeName = "pthread_mutex_t" | "pthread_cond_t" | "pthread_rwlock_t" | "sem_t";

export interface Target {
  readonly name: TargetName;
  readonly arch: "x86_64" | "aarch64" | "i686";
  readonly os: "linux" | "darwin";
  readonly libc: "gnu" | "musl" | "darwin";
  readonly endian: "little";
  /** Process-shared objects, from the libc headers cited in the table. */
  readonly libcTypes: Readonly<Record<LibcTypeName, TypeInfo>>;
}

const ti = (size: number, align: number): TypeInfo => ({ size, align });

// glibc: sysdeps/x86/nptl/bits/pthreadtypes-arch.h, sysdeps/aarch64/nptl/bits/pthreadtypes-arch.h,
//        sysdeps/x86/bits/semaphore.h, sysdeps/aarch64/bits/semaphore.h (alignment from the `long int __align` member).
// musl:  arch/generic/bits/alltypes.h.in (`int __i[sizeof(long)==8?10:6]` etc. in a union with pointers).
// Darwin: sys/_pthread/_pthread_types.h (`long __sig; char __opaque[__PTHREAD_MUTEX_SIZE__]`), sys/semaphore.h (`int`).
const GLIBC_X86_64 = {
  pthread_mutex_t: ti(40, 8),
  pthread_cond_t: ti(48, 8),
  pthread_rwlock_t: ti(56, 8),
  sem_t: ti(32, 8),
};
const GLIBC_AARCH64 = {
  pthread_mutex_t: ti(48, 8),
  pthread_cond_t: ti(48, 8),
  pthread_rwlock_t: ti(56, 8),
  sem_t: ti(32, 8),
};
const GLIBC_I686 = {
  pthread_mutex_t: ti(24, 4),
  pthread_cond_t: ti(48, 4),
  pthread_rwlock_t: ti(32, 4),
  sem_t: ti(16, 4),
};
const MUSL_64 = {
  pthread_mutex_t: ti(40, 8),
  pthread_cond_t: ti(48, 8),
  pthread_rwlock_t: ti(56, 8),
  sem_t: ti(32, 4),
};
const DARWIN_64 = {
  pthread_mutex_t: ti(64, 8),
  pthread_cond_t: ti(48, 8),
  pthread_rwlock_t: ti(200, 8),
  sem_t: ti(4, 4),
};

export const TARGETS: Readonly<Record<TargetName, Target>> = {
  "x86_64-linux-gnu": { name: "x86_64-linux-gnu", arch: "x86_64", os: "linux", libc: "gnu", endian: "little", libcTypes: GLIBC_X86_64 },
  "aarch64-linux-gnu": { name: "aarch64-linux-gnu", arch: "aarch64", os: "linux", libc: "gnu", endian: "little", libcTypes: GLIBC_AARCH64 },
  "i686-linux-gnu": { name: "i686-linux-gnu", arch: "i686", os: "linux", libc: "gnu", endian: "little", libcTypes: GLIBC_I686 },
  "x86_64-linux-musl": { name: "x86_64-linux-musl", arch: "x86_64", os: "linux", libc: "musl", endian: "little", libcTypes: MUSL_64 },
  "aarch64-linux-musl": { name: "aarch64-linux-musl", arch: "aarch64", os: "linux", libc: "musl", endian: "little", libcTypes: MUSL_64 },
  "aarch64-apple-darwin": { name: "aarch64-apple-darwin", arch: "aarch64", os: "darwin", libc: "darwin", endian: "little", libcTypes: DARWIN_64 },
  "x86_64-apple-darwin": { name: "x86_64-apple-darwin", arch: "x86_64", os: "darwin", libc: "darwin", endian: "little", libcTypes: DARWIN_64 },
};

export const TARGET_NAMES = Object.keys(TARGETS) as readonly TargetName[];

export function findTarget(name: string): Target | undefined {
  return Object.hasOwn(TARGETS, name) ? TARGETS[name as TargetName] : undefined;
}

export function getTargetOrThrow(name: string): Target {
  const target = findTarget(name);
  if (!target) throw new RangeError(`target: must be one of ${TARGET_NAMES.join(", ")}, got ${JSON.stringify(name)}`);
  return target;
}

/** True when this Linux process runs on musl (Alpine) rather than glibc. */
function isMusl(): boolean {
  // glibc fills in the glibc version in process.report's header; musl leaves it out.
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return header !== undefined && header.glibcVersionRuntime === undefined;
}

let host: Target | undefined;

/** The target this process runs on. Throws on a platform shmkit has no table for. */
export function hostTarget(): Target {
  if (host) return host;
  const arch = process.arch === "x64" ? "x86_64" : process.arch === "arm64" ? "aarch64" : process.arch === "ia32" ? "i686" : undefined;
  const os = process.platform === "linux" ? "linux" : process.platform === "darwin" ? "darwin" : undefined;
  if (!arch || !os) {
    throw new Error(`shmkit has no C ABI table for ${process.platform}/${process.arch}; supported: ${TARGET_NAMES.join(", ")}`);
  }
  const name = os === "darwin" ? `${arch}-apple-darwin` : `${arch}-linux-${isMusl() ? "musl" : "gnu"}`;
  host = getTargetOrThrow(name);
  return host;
}
