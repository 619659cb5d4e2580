#!/usr/bin/env bash
# What an operator and a plugin author do right after installing the packages: run the daemon
# and envctl from /usr, read the man pages, verify the unit, build the example plugins against
# the installed env-manager-dev and load them beside the default plugins.
#   check_installed.sh SOURCE_DIR
set -euo pipefail
source_dir=$1

listing=$(/usr/bin/env-manager --list-plugins --json)
python3 - "$listing" <<'PY'
import json, sys
listing = json.loads(sys.argv[1])
assert not listing["refused"], listing["refused"]
files = sorted(p["file"] for p in listing["plugins"])
assert len(files) == 11 and all(f.startswith("/usr/lib/env-manager/plugins/") for f in files), files
# One backend runs the services; backend.swarm stays idle until plugins.backend chooses it.
idle = {p["id"]: p.get("idle", "") for p in listing["plugins"] if p["kind"] == "backend"}
assert idle == {"backend.docker": "", "backend.swarm": "idle: backend.docker is the backend (plugins.backend)"}, idle
print(f"installed daemon loads its {len(files)} default plugins from /usr/lib/env-manager/plugins")
PY
/usr/bin/envctl --version
/usr/bin/env-manager --check-config --config /etc/env-manager/env-manager.toml >/dev/null
for page in env-manager.8.gz envctl.1.gz; do
  section=${page%.gz}; section=${section##*.}
  zcat "/usr/share/man/man$section/$page" | grep -q '^\.SH EXIT STATUS' || { echo "$page lacks EXIT STATUS" >&2; exit 1; }
done
# The unit as installed: the paths it names exist and every setting is one systemd knows.
systemd-analyze verify /lib/systemd/system/env-manager.service
systemd-analyze security --offline=yes /lib/systemd/system/env-manager.service 2>/dev/null |
  tail -1 || true

"$source_dir/tests/sdk_install/build_example_against_installed_sdk.sh" "" "$source_dir" /usr/bin/env-manager /usr
