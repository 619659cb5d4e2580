#!/usr/bin/env bash
# clang-format on every C and C++ file we own and the host's layering (check-host-layers.py);
# with --tidy [BUILD_DIR] also clang-tidy, from
# that build's compile_commands.json (default build/release). Fixture plugins are deliberately
# odd C and are only formatted.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mapfile -t files < <(git ls-files '*.c' '*.cpp' '*.h')
clang-format --dry-run --Werror "${files[@]}"
echo "check-style: clang-format clean (${#files[@]} files)"
python3 scripts/check-host-layers.py "$root"
if [[ "${1:-}" == "--tidy" ]]; then
  build_dir=${2:-build/release}
  [[ -f "$build_dir/compile_commands.json" ]] || { echo "check-style: configure $build_dir first" >&2; exit 2; }
  mapfile -t sources < <(git ls-files 'host/*.cpp' 'plugin_api/kit/*.cpp' 'plugins/*.cpp' 'tools/*.cpp' 'tests/unit/*.cpp' 'tests/support/*.cpp' 'bench/*.cpp')
  # Files found clean before, with nothing they include changed, are not checked again.
  scripts/clang-tidy-cached.py "$build_dir" "${sources[@]}"
  echo "check-style: clang-tidy clean (${#sources[@]} files)"
fi
