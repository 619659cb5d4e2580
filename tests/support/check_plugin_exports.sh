#!/usr/bin/env bash
# check_plugin_exports.sh PLUGIN.so...: fails, naming the symbols, when a plugin library exports
# any defined dynamic symbol other than its entry point (abi.h: the only exported symbol).
set -euo pipefail
(($#)) || { echo "usage: check_plugin_exports.sh PLUGIN.so..." >&2; exit 2; }
status=0
for plugin in "$@"; do
  extra=$(nm -D --defined-only "$plugin" | awk '{print $NF}' | grep -vx 'envmgr_plugin_entry' || true)
  if [[ -n "$extra" ]]; then
    echo "$plugin exports more than envmgr_plugin_entry ($(wc -l <<< "$extra") symbols):" >&2
    head -20 <<< "$extra" | sed 's/^/  /' >&2
    status=1
  elif ! nm -D --defined-only "$plugin" | awk '{print $NF}' | grep -qx 'envmgr_plugin_entry'; then
    echo "$plugin does not export envmgr_plugin_entry" >&2
    status=1
  fi
done
((status == 0)) && echo "checked $# plugin(s): each exports only envmgr_plugin_entry"
exit "$status"
