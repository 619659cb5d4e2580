#!/usr/bin/env bash
# Installs the SDK (with the plugin kit) and the default plugins into a temporary prefix, checks
# that every installed plugin exports only its entry point, builds every example plugin (one
# per kind) out of tree against that SDK with find_package(envmgr) + envmgr_add_plugin(),
# checks their exports too, and checks that the daemon loads them.
#   build_example_against_installed_sdk.sh BUILD_DIR SOURCE_DIR DAEMON [PREFIX]
# With PREFIX (an installed env-manager-dev, e.g. /usr) nothing is installed: the examples are
# built against what is there.
set -euo pipefail
build_dir=$1 source_dir=$2 binary=$3 prefix=${4:-}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [[ -z "$prefix" ]]; then
  prefix="$work/prefix"
  cmake --install "$build_dir" --prefix "$prefix" --component sdk >/dev/null
  cmake --install "$build_dir" --prefix "$prefix" --component plugins >/dev/null
  mapfile -t installed < <(find "$prefix" -path '*/env-manager/plugins/*.so')
  ((${#installed[@]} > 0)) || { echo "no plugin was installed" >&2; exit 1; }
  "$source_dir/tests/support/check_plugin_exports.sh" "${installed[@]}"
fi
test -f "$prefix/include/envmgr/abi.h"
test -f "$prefix/include/envmgr/sdk/testing/fake_host.h"
test -f "$prefix/include/envmgr/kit/probe/async_probe.h"

mkdir -p "$work/plugins"
for example in "$source_dir"/plugins/examples/*/; do
  name=$(basename "$example")
  cmake -S "$example" -B "$work/build-$name" -G Ninja \
        -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$work/build-$name" >/dev/null
  plugin="$work/build-$name/example_$name.so"
  test -f "$plugin" || { echo "example $name built no example_$name.so" >&2; exit 1; }
  "$source_dir/tests/support/check_plugin_exports.sh" "$plugin"
  cp "$plugin" "$work/plugins/"
done

listing=$(ENV_MANAGER_PLUGIN_PATH="$work/plugins" "$binary" --list-plugins --json)
python3 - "$listing" <<'PY'
import json, sys
listing = json.loads(sys.argv[1])
assert not listing["refused"], listing["refused"]
plugins = {p["id"]: p for p in listing["plugins"]}
for plugin_id, kind in (("service.example-hello", "service"), ("probe.example-pg", "probe"),
                        ("frontend.example-event-log", "frontend")):
    assert plugin_id in plugins, (plugin_id, listing)
    plugin = plugins[plugin_id]
    assert plugin["kind"] == kind and plugin["version"] == "1.0.0" and plugin["abi_version"] == "1.0", plugin
    print("out-of-tree example plugin loaded:", plugin_id, plugin["file"])
PY
