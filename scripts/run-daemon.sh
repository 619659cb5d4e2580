#!/usr/bin/env bash
# Builds env-manager, installs it (default prefix /usr/local) and runs the daemon in the
# foreground. Extra arguments go to env-manager, e.g. --list-plugins.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${ENVMGR_PREFIX:-/usr/local}
build_dir=${ENVMGR_BUILD_DIR:-$root/build/release}

"$root/scripts/setup-deps.sh" --runtime-only
# The daemon drives a Docker engine: start Debian's dockerd when none answers.
"$root/scripts/testbed.sh" engine
cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DENVMGR_BUILD_TESTS=OFF -DENVMGR_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build "$build_dir"
cmake --install "$build_dir" >/dev/null
echo "run-daemon: installed into $prefix; starting $prefix/bin/env-manager" >&2
exec "$prefix/bin/env-manager" "$@"
