#!/usr/bin/env bash
# Installs the SDK into a temporary prefix, builds the example plugin out of tree against it
# with find_package(envmgr) + envmgr_add_plugin(), and checks that the daemon loads it.
set -euo pipefail
build_dir=$1 source_dir=$2 binary=$3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" --component sdk >/dev/null
test -f "$work/prefix/include/envmgr/abi.h"

cmake -S "$source_dir/plugins/examples/hello_service" -B "$work/build" -G Ninja \
      -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" >/dev/null
plugin="$work/build/example_hello_service.so"
test -f "$plugin"

# Only the entry point is exported.
exported=$(nm -D --defined-only "$plugin" | awk '$2 ~ /^[TDBVW]$/ {print $3}' | grep -v '^_' || true)
if [[ "$exported" != "envmgr_plugin_entry" ]]; then
  echo "expected only envmgr_plugin_entry to be exported, got: $exported" >&2
  exit 1
fi

listing=$(ENV_MANAGER_PLUGIN_PATH="$work/build" "$binary" --list-plugins --json)
python3 - "$listing" <<'PY'
import json, sys
listing = json.loads(sys.argv[1])
plugins = {p["id"]: p for p in listing["plugins"]}
assert "service.example-hello" in plugins, listing
hello = plugins["service.example-hello"]
assert hello["kind"] == "service" and hello["version"] == "1.0.0" and hello["abi_version"] == "1.0", hello
assert not listing["refused"], listing["refused"]
print("out-of-tree example plugin loaded:", hello["file"])
PY
