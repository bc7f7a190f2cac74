#!/usr/bin/env bash
# Installs the C compilers the layout tests compare against: the native cc, gcc cross compilers for aarch64 and
# i686 (compile-only: the tests never run their output), clang (Apple targets, --target), and musl-gcc.
# Idempotent: skips what is already there. Never fails the caller for want of apt-get or root: it says why and
# exits 0, and the cross-target tests then say they skipped.
set -uo pipefail

want=()
need() { command -v "$1" >/dev/null 2>&1 || want+=("$2"); }
need cc gcc
need aarch64-linux-gnu-gcc gcc-aarch64-linux-gnu
need i686-linux-gnu-gcc gcc-i686-linux-gnu
need clang clang
need musl-gcc musl-tools
# The i686 cross compiler needs its libc headers (stddef/stdint come with gcc, pthread.h with libc6-dev-i386-cross).
if command -v i686-linux-gnu-gcc >/dev/null 2>&1 &&
  ! echo '#include <pthread.h>' | i686-linux-gnu-gcc -fsyntax-only -x c - >/dev/null 2>&1; then
  want+=(libc6-dev-i386-cross)
fi

if [ ${#want[@]} -eq 0 ]; then
  echo "install-toolchains: all present (cc, aarch64-linux-gnu-gcc, i686-linux-gnu-gcc, clang, musl-gcc)"
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
apt-get update -qq >/dev/null || { echo "install-toolchains: apt-get update failed"; exit 0; }
# One package at a time, so that one missing from this distribution's archive does not stop the others.
for pkg in "${want[@]}"; do
  apt-get install -y -qq --no-install-recommends "$pkg" >/dev/null 2>&1 ||
    echo "install-toolchains: could not install $pkg; its tests will say they skipped"
done
exit 0
