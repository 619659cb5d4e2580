#!/usr/bin/env bash
# Builds env-manager with its tests and runs every test with ctest.
#   scripts/run-tests.sh              the dev build (Debug)
#   scripts/run-tests.sh --sanitize   the same suite under AddressSanitizer + UBSan
#   scripts/run-tests.sh --threads    the same suite under ThreadSanitizer
# Installs missing Debian packages and starts the test-bed (Docker engine, local registry,
# test images) first, so it works on a fresh Debian 12 machine as root.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=dev
case "${1:-}" in
  --sanitize) preset=asan ;;
  --threads) preset=tsan ;;
  "") ;;
  *) echo "usage: $0 [--sanitize | --threads]" >&2; exit 2 ;;
esac

"$root/scripts/setup-deps.sh"
if [[ -x "$root/scripts/testbed.sh" ]]; then
  "$root/scripts/testbed.sh" up
fi
cd "$root"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
ctest --preset "$preset"
