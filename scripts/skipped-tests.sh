#!/usr/bin/env bash
# Prints each test that ctest counted as skipped, with the reason the test gave (GTEST_SKIP's
# message, or the text after a script's "[  SKIPPED ]"), from ctest's LastTest.log. ctest
# itself says only "Skipped".
set -euo pipefail
log=${1:?usage: skipped-tests.sh build/PRESET/Testing/Temporary/LastTest.log}
[[ -f "$log" ]] || exit 0
awk '
  /^[0-9]+\/[0-9]+ Test: / { name = $3; reason = ""; grab = 0; next }
  / Skipped$/ && !grab { grab = 1; next }
  grab && /^\[  SKIPPED \]/ { grab = 0; next }
  # A script test says why on the marker line itself ("[  SKIPPED ] reason").
  /^\[  SKIPPED \] / && reason == "" { reason = substr($0, 14); next }
  grab && NF { reason = reason (reason == "" ? "" : " ") $0; next }
  /^Skip regular expression found/ {
    printf "skipped: %s: %s\n", name, (reason == "" ? "(no reason given)" : reason)
    count++
  }
  END { if (count) printf "%d test(s) skipped\n", count }
' "$log"
