#!/usr/bin/env bash
# Builds env-manager, installs it (default prefix /usr/local) and runs the daemon in the
# foreground. Extra arguments go to env-manager, e.g. --list-plugins.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prefix=${ENVMGR_PREFIX:-/usr/local}

"$root/scripts/setup-deps.sh" --runtime-only
# The daemon drives a Docker engine: start Debian's dockerd when none answers.
"$root/scripts/testbed.sh" engine
cd "$root"
# The install preset: Release, the daemon and its plugins only (build/install).
cmake --preset install -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build --preset install
cmake --install build/install >/dev/null
echo "run-daemon: installed into $prefix; starting $prefix/bin/env-manager" >&2
exec "$prefix/bin/env-manager" "$@"
