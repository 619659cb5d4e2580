#!/usr/bin/env bash
# clang-format on every C and C++ file we own; with --tidy also clang-tidy (needs a configured
# build/dev for compile_commands.json). Fixture plugins are deliberately odd C and are only
# formatted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files '*.c' '*.cpp' '*.h')
clang-format --dry-run --Werror "${files[@]}"
echo "check-style: clang-format clean (${#files[@]} files)"
if [[ "${1:-}" == "--tidy" ]]; then
  mapfile -t sources < <(git ls-files 'host/*.cpp' 'plugins/*.cpp' 'tests/unit/*.cpp' 'tests/fakes/*.cpp' 'bench/*.cpp')
  run-clang-tidy -quiet -p build/dev "${sources[@]/#/$root/}" >/tmp/envmgr-clang-tidy.log 2>&1 || {
    grep -E "error:|warning:" /tmp/envmgr-clang-tidy.log | sort -u >&2
    exit 1
  }
  echo "check-style: clang-tidy clean (${#sources[@]} files)"
fi
