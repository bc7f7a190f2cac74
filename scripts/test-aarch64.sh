#!/usr/bin/env bash
# Runs the whole suite (`bun run test`) as an aarch64 host would: the aarch64 Bun from npm under qemu-aarch64,
# with Debian's aarch64 glibc, and a `cc` that builds aarch64 programs. Installs what it needs (apt: qemu-user and
# the aarch64 cross libc/compiler; npm: @oven/bun-linux-aarch64 at the pinned version into node_modules/.cache/shmkit) and is
# safe to run again.
#
# Tests spawn process.execPath (the aarch64 Bun) and C programs they compile, so the kernel itself must run aarch64
# executables: qemu-user does not follow execve into a foreign binary. That takes a binfmt_misc entry for
# qemu-aarch64, which this script registers (as root) if none is there. Without binfmt_misc it stops and says so.
set -euo pipefail
cd "$(dirname "$0")/.."
die() { echo "test:aarch64: $*" >&2; exit 2; }

if [ "$(uname -m)" = aarch64 ]; then exec bun run test; fi
[ "$(uname -m)" = x86_64 ] || die "needs an x86_64 or aarch64 Linux host, not $(uname -m)"
sysroot=/usr/aarch64-linux-gnu

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "needs root for: $*"; fi; }

missing=()
command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
[ -e "$sysroot/lib/ld-linux-aarch64.so.1" ] || missing+=(libc6-arm64-cross)
[ -e "$sysroot/include/stdio.h" ] || missing+=(libc6-dev-arm64-cross)
command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
# musl for aarch64 (headers, crt, libc.a and its musl-gcc.specs), from Debian's arm64 architecture: an aarch64 host
# has musl-gcc for its own musl, and the tests of that target need one here too.
musl_specs=/usr/lib/aarch64-linux-musl/musl-gcc.specs
[ -e "$musl_specs" ] || missing+=(musl-dev:arm64)
if [ "${#missing[@]}" -gt 0 ]; then
  command -v apt-get >/dev/null || die "install ${missing[*]} (no apt-get here)"
  echo "test:aarch64: installing ${missing[*]}"
  if [[ " ${missing[*]} " == *":arm64 "* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    as_root dpkg --add-architecture arm64 || die "dpkg --add-architecture arm64 failed"
  fi
  as_root apt-get update -qq || die "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
fi

version=$(node -p 'require("./package.json").packageManager.split("@")[1]' 2>/dev/null || bun -e 'console.log(require("./package.json").packageManager.split("@")[1])')
# Inside the repo, not under $HOME: tests run the Bun as user nobody too, and /root is not theirs to read.
cache="$PWD/node_modules/.cache/shmkit/aarch64/bun-$version"
bun_arm="$cache/node_modules/@oven/bun-linux-aarch64/bin/bun"
if [ ! -x "$bun_arm" ]; then
  echo "test:aarch64: installing @oven/bun-linux-aarch64@$version into $cache"
  mkdir -p "$cache"
  # --force: npm refuses a package whose "cpu" is not this machine's; that is the point here.
  npm install --no-save --force --prefix "$cache" "@oven/bun-linux-aarch64@$version" >/dev/null || die "npm install of @oven/bun-linux-aarch64@$version failed"
fi

binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/register" ]; then as_root mount -t binfmt_misc binfmt_misc "$binfmt" 2>/dev/null || true; fi
[ -e "$binfmt/register" ] || die "binfmt_misc is not available ($binfmt), so spawned aarch64 programs cannot run"
if ! grep -qs '^enabled' "$binfmt"/qemu-aarch64 2>/dev/null; then
  echo "test:aarch64: registering qemu-aarch64 with binfmt_misc"
  magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
  mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
  as_root sh -c "echo ':qemu-aarch64:M::$magic:$mask:$(command -v qemu-aarch64):' > $binfmt/register" ||
    die "could not register qemu-aarch64 with binfmt_misc"
fi
"$bun_arm" --version >/dev/null 2>&1 || QEMU_LD_PREFIX=$sysroot "$bun_arm" --version >/dev/null ||
  die "the aarch64 bun does not start under qemu-aarch64"

# A PATH where `bun` is the aarch64 Bun and `cc`/`gcc` build aarch64 programs. clang, musl-gcc and the other cross
# compilers stay the host's: tests name their target explicitly when they use them.
bin="$cache/bin"
mkdir -p "$bin"
# `bun` is a script, not a link, so that `bun test` gets a longer per-test time-out: under qemu a spawned Bun takes
# seconds to start, and bun's default of 5 s fails tests that spawn a few. process.execPath stays the real binary.
rm -f "$bin/bun"
cat >"$bin/bun" <<WRAP
#!/bin/sh
if [ "\$1" = test ]; then shift; exec "$bun_arm" test --timeout "\${SHMKIT_QEMU_TEST_TIMEOUT_MS:-60000}" "\$@"; fi
exec "$bun_arm" "\$@"
WRAP
chmod +x "$bin/bun"
for c in cc gcc; do printf '#!/bin/sh\nexec aarch64-linux-gnu-gcc "$@"\n' >"$bin/$c"; chmod +x "$bin/$c"; done
# musl-gcc as an aarch64 host has it: the aarch64 gcc with musl's specs (include and library paths, crt, loader).
printf '#!/bin/sh\nexec aarch64-linux-gnu-gcc "$@" -specs %s\n' "$musl_specs" >"$bin/musl-gcc"
chmod +x "$bin/musl-gcc"
export PATH="$bin:$PATH" QEMU_LD_PREFIX=$sysroot
echo "test:aarch64: bun $(bun --version) $(bun -e 'console.log(process.arch)') under $(qemu-aarch64 --version | head -1)"
# The cross-runtime tests' Node and Deno, as aarch64 builds (they run under qemu too, through binfmt_misc).
SHMKIT_RUNTIMES_ARCH=arm64 scripts/install-runtimes.sh
# TURBO_FORCE: turbo's cache key does not include the architecture, so it would replay the x86_64 results.
export TURBO_FORCE=1
exec bun run test "$@"
