#!/usr/bin/env bash
# Installs the C compilers the layout tests compare against: the native cc, gcc cross compilers for aarch64 and
# i686 (compile-only: the tests never run their output, but for static i686 programs), clang (Apple targets,
# --target), and musl-gcc, with the cross libc headers each needs (pthread.h, bits/libc-header-start.h), and
# aarch64 musl for the aarch64 gcc, and python3 (a ctypes participant of core's every-runtime test). Idempotent:
# skips what is already there.
# Never fails the caller for want of apt-get or root: it says why and exits 0, and the cross-target tests then
# say they skipped.
set -uo pipefail

# A compiler is usable once it can compile '#include <pthread.h>' and '<stdint.h>': gcc-<arch>-linux-gnu brings
# the compiler, libc6-dev-<arch>-cross the headers (without them stdint.h fails on bits/libc-header-start.h).
# clang --target=<arch>-linux-gnu finds the same cross headers under /usr/<arch>-linux-gnu.
usable() { printf '#include <pthread.h>\n#include <stdint.h>\n' | "$@" -fsyntax-only -x c - >/dev/null 2>&1; }

missing() {
  want=()
  command -v cc >/dev/null 2>&1 || want+=(gcc)
  command -v clang >/dev/null 2>&1 || want+=(clang)
  command -v musl-gcc >/dev/null 2>&1 || want+=(musl-tools)
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || want+=(gcc-aarch64-linux-gnu)
  command -v i686-linux-gnu-gcc >/dev/null 2>&1 || want+=(gcc-i686-linux-gnu)
  # The headers are checked even while the compiler is still missing: it comes in the same apt-get run.
  command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && usable aarch64-linux-gnu-gcc || want+=(libc6-dev-arm64-cross)
  command -v i686-linux-gnu-gcc >/dev/null 2>&1 && usable i686-linux-gnu-gcc || want+=(libc6-dev-i386-cross)
  # aarch64 musl (headers, crt, libc.a, musl-gcc.specs) from Debian's arm64 architecture, for the aarch64 gcc.
  [ -e /usr/lib/aarch64-linux-musl/musl-gcc.specs ] || want+=(musl-dev:arm64)
  command -v python3 >/dev/null 2>&1 || want+=(python3)
}

missing
if [ ${#want[@]} -eq 0 ]; then
  echo "install-toolchains: all present (cc, aarch64-linux-gnu-gcc, i686-linux-gnu-gcc, clang, musl-gcc, cross headers, python3)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-toolchains: no apt-get here; install ${want[*]} yourself for the cross-target tests"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-toolchains: not root; run 'sudo $0' to install ${want[*]}"
  exit 0
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-toolchains: installing ${want[*]}"
if [[ " ${want[*]} " == *":arm64 "* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64 || echo "install-toolchains: dpkg --add-architecture arm64 failed"
fi
apt-get update -qq >/dev/null || { echo "install-toolchains: apt-get update failed"; exit 0; }
# One package at a time, so that one missing from this distribution's archive does not stop the others.
for pkg in "${want[@]}"; do
  apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 ||
    echo "install-toolchains: could not install $pkg; its tests will say they skipped"
done
missing
[ ${#want[@]} -eq 0 ] || echo "install-toolchains: still missing after install: ${want[*]}"
exit 0
