#!/usr/bin/env bash
# Builds the fuzz targets (clang, libFuzzer, ASan+UBSan: the fuzz preset) and fuzzes each for
# SECONDS (default 600) from its corpus in tests/fuzz/corpus, which it never writes to: new
# inputs go to a scratch folder. Prints, per target, the executions, the coverage reached and
# whether it crashed; exits 1 when any target found a crash (the input is kept and named).
#   scripts/fuzz.sh [SECONDS] [TARGET...]   TARGET: docker_response config compose grpc_request http_route
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-600}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(docker_response config compose grpc_request http_route)

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target "${targets[@]/%/_fuzzer}"

status=0
findings=$(mktemp -d /tmp/envmgr-fuzz-XXXXXX)
for target in "${targets[@]}"; do
  scratch="$findings/$target"
  mkdir -p "$scratch"
  log="$findings/$target.log"
  if build/fuzz/bin/"${target}_fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$scratch/" "$scratch" "tests/fuzz/corpus/$target" >"$log" 2>&1; then
    outcome="no crash"
  else
    found=$(find "$scratch" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' \
      -o -name 'oom-*' \) -print -quit)
    outcome="CRASH: ${found:-see $log}"
    status=1
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  coverage=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
  features=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1)
  printf 'fuzz %-16s %ss: %s executions, %s, %s, corpus +%s: %s\n' "$target" "$seconds" "${runs:-?}" \
    "${coverage:-cov: ?}" "${features:-ft: ?}" "$(find "$scratch" -maxdepth 1 -type f ! -name 'crash-*' ! -name 'leak-*' ! -name 'timeout-*' ! -name 'oom-*' | wc -l)" \
    "$outcome"
done
echo "logs and new inputs: $findings"
exit "$status"
