#!/usr/bin/env bash
# env-manager in a container, as the README's recipe runs it: the image is built from the
# installed files (no base image downloaded), runs with the engine's socket and the host's
# network, and starts the default stack of a tenant of its own, driven by the installed envctl.
#   check_container.sh SOURCE_DIR
set -euo pipefail
source_dir=$1
tag=envmgr-test/env-manager:packaging name=envmgr-packaging-daemon tenant=ctrpkg
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port) metrics=$(free_port)
config=$(mktemp --suffix=.toml)
printf '[tenants.%s]\nport_offset = 7300\n' "$tenant" > "$config"
chmod 644 "$config"
remove_leftovers() {
  docker rm -f "$name" >/dev/null 2>&1 || true
  # Every container and volume labelled with the tenant, as the e2e tests' clean-up does.
  docker ps -aq --filter "label=env-manager.tenant=$tenant" | xargs -r docker rm -f -v >/dev/null 2>&1 || true
  docker volume ls -q --filter "label=env-manager.tenant=$tenant" | xargs -r docker volume rm >/dev/null 2>&1 || true
  docker network rm "env-manager-$tenant" >/dev/null 2>&1 || true
  docker image rm "$tag" >/dev/null 2>&1 || true
}
trap 'remove_leftovers; rm -f "$config"' EXIT
remove_leftovers

"$source_dir/packaging/container/build-image.sh" /usr "$tag"
docker run -d --name "$name" --network host -v /var/run/docker.sock:/var/run/docker.sock \
  -v "$config:/etc/env-manager/env-manager.toml:ro" \
  -e ENV_MANAGER_GRPC_ADDR="127.0.0.1:$port" -e ENV_MANAGER_METRICS_ADDR="127.0.0.1:$metrics" "$tag" >/dev/null
envctl=(/usr/bin/envctl --addr "127.0.0.1:$port" --tenant "$tenant" --connect-timeout 20)
for _ in $(seq 100); do  # serving once the daemon's log says ready (adoption done)
  docker logs "$name" 2>&1 | grep -q "env-manager ready" && break
  sleep 0.2
done
"${envctl[@]}" up --timeout 180 || { docker logs "$name" 2>&1 | tail -30; exit 1; }
"${envctl[@]}" ps --json | python3 -c '
import json, sys
rows = json.load(sys.stdin)
assert len(rows) == 6 and all(row["state"] == "healthy" for row in rows), rows
print("the containerized daemon started the default stack:", ", ".join(sorted(row["service"] for row in rows)))'
"${envctl[@]}" down >/dev/null
