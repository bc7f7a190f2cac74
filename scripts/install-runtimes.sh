#!/usr/bin/env bash
# Installs the other runtimes the cross-runtime tests run core on: Node 26 (node:ffi), Node 20 (koffi) and Deno, all
# from the npm registry, pinned, into node_modules/.cache/shmkit/runtimes/<arch>/ inside the repo (tests may run as another
# user, who cannot read this user's home). Idempotent: skips what is already there at the pinned version. Never fails the
# caller: it says why and exits 0, and the cross-runtime tests then say they skipped (packages/core/test/runtimes.ts).
set -uo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=26.12.1
# Node 20 runs core through koffi. Installed as `node20` (an npm alias: one prefix cannot hold two versions of
# node-linux-<arch>), and preferred to the machine's own node on every architecture, so that every developer and
# CI test the same Node 20, and an aarch64 one under qemu (packages/core/test/runtimes.ts).
NODE20_VERSION=20.20.2
DENO_VERSION=2.9.6
# The packages are per architecture. SHMKIT_RUNTIMES_ARCH=arm64 installs the aarch64 ones on an x86_64 host, for
# scripts/test-aarch64.sh (the tests under qemu run aarch64 programs only); the default is this host's.
case "${SHMKIT_RUNTIMES_ARCH:-$(uname -m)}" in
  x86_64 | x64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *)
    echo "install-runtimes: no pinned packages for $(uname -m); the cross-runtime tests will say they skipped"
    exit 0
    ;;
esac
if [ "$(uname -s)" != Linux ]; then
  echo "install-runtimes: only Linux has pinned packages here; the cross-runtime tests will say they skipped"
  exit 0
fi
# One prefix per architecture: npm install --no-save prunes whatever else is in its prefix.
cache=node_modules/.cache/shmkit/runtimes/$arch
mkdir -p "$cache"
node_pkg=node-linux-$arch
deno_pkg=@deno/linux-$arch-glibc

installed() { node -p "require('./$cache/node_modules/$1/package.json').version" 2>/dev/null; }

# Every pin, and the ones missing or at another version: npm install --no-save prunes whatever it is not given
# from its prefix, so a run that installs anything installs them all.
pins=("$node_pkg@$NODE_VERSION" "node20@npm:$node_pkg@$NODE20_VERSION" "$deno_pkg@$DENO_VERSION")
want=()
[ "$(installed "$node_pkg")" = "$NODE_VERSION" ] || want+=("$node_pkg@$NODE_VERSION")
[ "$(installed node20)" = "$NODE20_VERSION" ] || want+=("node20@$NODE20_VERSION")
[ "$(installed "$deno_pkg")" = "$DENO_VERSION" ] || want+=("$deno_pkg@$DENO_VERSION")
# koffi keeps its native binary in a package per platform, and bun installs only this host's: for another
# architecture, the one of the koffi version core tests with goes here too, where a Node 20 peer finds it on its
# NODE_PATH.
host_arch=$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
if [ "$arch" != "$host_arch" ]; then
  koffi_version=$(node -p "require('./packages/core/package.json').devDependencies.koffi" 2>/dev/null)
  koffi_pkg=@koromix/koffi-linux-$arch
  if [ -n "$koffi_version" ]; then
    pins+=("$koffi_pkg@$koffi_version")
    [ "$(installed "$koffi_pkg")" = "$koffi_version" ] || want+=("$koffi_pkg@$koffi_version")
  fi
fi

if [ ${#want[@]} -eq 0 ]; then
  echo "install-runtimes: all present (node $NODE_VERSION and $NODE20_VERSION, deno $DENO_VERSION for $arch in $cache)"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-runtimes: no npm here; install ${pins[*]} yourself into $cache"
  exit 0
fi
echo "install-runtimes: installing ${want[*]} into $cache"
# --no-save: the cache has no package.json worth keeping; the pins live in this script.
# --force: npm refuses a package whose "cpu" is not this machine's, which is the point for SHMKIT_RUNTIMES_ARCH.
npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error --force "${pins[@]}" >/dev/null 2>&1 ||
  echo "install-runtimes: npm install failed; the cross-runtime tests will say they skipped"
# Postinstall scripts are not needed: every package ships the binary itself.
exit 0
