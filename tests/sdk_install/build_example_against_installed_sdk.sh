#!/usr/bin/env bash
# Installs the SDK and the default plugins into a temporary prefix, checks that every installed
# plugin exports only its entry point, builds the example plugin out of tree against the SDK
# with find_package(envmgr) + envmgr_add_plugin(), checks its exports too, and checks that the
# daemon loads it.
set -euo pipefail
build_dir=$1 source_dir=$2 binary=$3

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --prefix "$work/prefix" --component sdk >/dev/null
cmake --install "$build_dir" --prefix "$work/prefix" --component plugins >/dev/null
test -f "$work/prefix/include/envmgr/abi.h"
test -f "$work/prefix/include/envmgr/sdk/testing/fake_host.h"
mapfile -t installed < <(find "$work/prefix" -path '*/env-manager/plugins/*.so')
((${#installed[@]} > 0)) || { echo "no plugin was installed" >&2; exit 1; }
"$source_dir/tests/support/check_plugin_exports.sh" "${installed[@]}"

cmake -S "$source_dir/plugins/examples/hello_service" -B "$work/build" -G Ninja \
      -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/build" >/dev/null
plugin="$work/build/example_hello_service.so"
test -f "$plugin"

"$source_dir/tests/support/check_plugin_exports.sh" "$plugin"

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
