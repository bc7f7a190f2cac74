#!/usr/bin/env bash
# Installs the other runtimes the cross-runtime tests run core on: Node 26 (node:ffi) and Deno, both from the npm
# registry, pinned, into node_modules/.cache/shmkit/runtimes/<arch>/ inside the repo (tests may run as another
# user, who cannot read this user's home). Idempotent: skips what is already there at the pinned version. Never fails the
# caller: it says why and exits 0, and the cross-runtime tests then say they skipped (packages/core/test/runtimes.ts).
set -uo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=26.12.1
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

want=()
[ "$(installed "$node_pkg")" = "$NODE_VERSION" ] || want+=("$node_pkg@$NODE_VERSION")
[ "$(installed "$deno_pkg")" = "$DENO_VERSION" ] || want+=("$deno_pkg@$DENO_VERSION")

if [ ${#want[@]} -eq 0 ]; then
  echo "install-runtimes: all present (node $NODE_VERSION, deno $DENO_VERSION for $arch in $cache)"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-runtimes: no npm here; install ${want[*]} yourself into $cache"
  exit 0
fi
echo "install-runtimes: installing ${want[*]} into $cache"
# --no-save: the cache has no package.json worth keeping; the pins live in this script.
# --force: npm refuses a package whose "cpu" is not this machine's, which is the point for SHMKIT_RUNTIMES_ARCH.
npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error --force "${want[@]}" >/dev/null 2>&1 ||
  echo "install-runtimes: npm install failed; the cross-runtime tests will say they skipped"
# Postinstall scripts are not needed: both packages ship the binary itself.
exit 0
