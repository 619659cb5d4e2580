#!/usr/bin/env bash
# Builds env-manager with its tests and runs every test with ctest.
#   scripts/run-tests.sh              the Release build (build/release), as CI runs it
#   scripts/run-tests.sh --debug      the Debug build (build/dev)
#   scripts/run-tests.sh --sanitize   the same suite under AddressSanitizer + UBSan
#   scripts/run-tests.sh --threads    the same suite under ThreadSanitizer
# Installs missing Debian packages and starts the test-bed (Docker engine, local registry,
# test images) first, so it works on a fresh Debian 12 machine as root. Tests that cannot run
# on this machine (e.g. one that must restart an engine the test-bed did not start) are
# skipped, and the reasons are printed after ctest's summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=release
case "${1:-}" in
  --debug) preset=dev ;;
  --sanitize) preset=asan ;;
  --threads) preset=tsan ;;
  "") ;;
  *) echo "usage: $0 [--debug | --sanitize | --threads]" >&2; exit 2 ;;
esac

"$root/scripts/setup-deps.sh"
"$root/scripts/testbed.sh" up
cd "$root"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# gRPC and abseil are not built for TSan: tests/tsan.supp names them (only them).
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/tsan.supp}
# Tests that run nothing of ours (label testbed-only: the test-bed's own scripts) add nothing
# under a sanitizer; the Release suite runs them.
only_ours=()
if [[ "$preset" == asan || "$preset" == tsan ]]; then
  only_ours=(-LE testbed-only)
  echo "run-tests: tests labelled testbed-only (the test-bed's scripts, nothing instrumented) run in the Release suite only"
fi
status=0
ctest --preset "$preset" "${only_ours[@]}" || status=$?
results="build/$preset/Testing/Temporary"
cp "$results/LastTest.log" "$results/FirstRun.log" 2>/dev/null || true
# LeakSanitizer's tracer sometimes crashes at a test's exit after the test passed (a fault of
# the runtime, not a leak). Only when that is every failure are those tests run once more.
if ((status != 0)) && [[ "$preset" == asan ]] &&
   crashed=$("$root/scripts/lsan-tracer-crashes.py" "$results/LastTest.log" "$results/LastTestsFailed.log"); then
  echo "run-tests: LeakSanitizer's tracer crashed at exit (google/sanitizers#1353) in: $(echo $crashed); running them again"
  status=0
  ctest --preset "$preset" "${only_ours[@]}" --rerun-failed || status=$?
fi
"$root/scripts/skipped-tests.sh" "$results/FirstRun.log"
exit "$status"
