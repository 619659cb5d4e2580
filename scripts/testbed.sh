#!/usr/bin/env bash
# The test-bed every integration test stands on, started idempotently as root on Debian 12:
#   testbed.sh up       a Docker engine (reused when one answers), a registry on
#                       127.0.0.1:5000, and the test images built locally and pushed there
#   testbed.sh engine   only make sure a Docker engine answers (used by run-daemon.sh)
#   testbed.sh down     stop what this script started (and only that)
#   testbed.sh restart-engine   stop and start the dockerd this script started
#   testbed.sh owns-engine      exit 0 when the engine that answers is one this script started
#   testbed.sh status   say what runs
#   testbed.sh swarm up [NODES]|down|status|env   a real swarm of NODES engines (testbed-swarm.sh)
# Nothing is downloaded: images are made from Debian's busybox-static and redis-server.
set -euo pipefail

state_dir=${ENVMGR_TESTBED_DIR:-/var/lib/envmgr-testbed}
run_dir=/run/envmgr-testbed
log_dir=/var/log/envmgr-testbed
socket=/var/run/docker.sock
registry_addr=127.0.0.1:5000
# Bump when the images' contents change, so that `up` rebuilds them.
image_version=1

log() { echo "testbed: $*" >&2; }
die() { log "error: $*"; exit 1; }

engine_answers() {
  curl -sf --max-time 2 --unix-socket "$socket" http://localhost/_ping >/dev/null 2>&1
}
registry_answers() {
  curl -sf --max-time 2 "http://$registry_addr/v2/" >/dev/null 2>&1
}

# shellcheck source=scripts/testbed-lib.sh
source "$(dirname "$0")/testbed-lib.sh"

ensure_packages() {
  local missing=()
  for pkg in docker.io docker-registry busybox-static redis-server curl; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
}

start_engine() {
  if engine_answers; then
    log "Docker engine already answers on $socket; reusing it"
    return
  fi
  mkdir -p "$run_dir" "$log_dir"
  log "starting dockerd (log: $log_dir/dockerd.log)"
  # The mirror makes plain names such as redis:7-alpine pull from the local registry.
  setsid dockerd --registry-mirror "http://$registry_addr" --host "unix://$socket" \
    >"$log_dir/dockerd.log" 2>&1 < /dev/null &
  echo $! > "$run_dir/dockerd.pid"
  wait_for 60 "dockerd" engine_answers
  log "Docker engine up ($(curl -sf --unix-socket "$socket" http://localhost/version | \
      sed -n 's/.*"ApiVersion":"\([^"]*\)".*/API \1/p'))"
}

start_registry() {
  if registry_answers; then
    log "registry already answers on $registry_addr; reusing it"
    return
  fi
  mkdir -p "$run_dir" "$log_dir" "$state_dir/registry"
  cat > "$state_dir/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $state_dir/registry
  delete:
    enabled: true
http:
  addr: $registry_addr
YAML
  log "starting docker-registry on $registry_addr (log: $log_dir/registry.log)"
  setsid docker-registry serve "$state_dir/registry.yml" >"$log_dir/registry.log" 2>&1 < /dev/null &
  echo $! > "$run_dir/registry.pid"
  wait_for 30 "docker-registry" registry_answers
}

image_current() {  # the image exists and was made by this version of the script
  local stamp
  stamp=$(docker image inspect --format '{{range .Config.Env}}{{println .}}{{end}}' "$1" 2>/dev/null |
          sed -n 's/^ENVMGR_TESTBED_IMAGE=//p') || return 1
  [[ "$stamp" == "$image_version" ]]
}

busybox_rootfs() {  # busybox_rootfs DIR: a root with static busybox and its applets
  local dir=$1
  mkdir -p "$dir"/{bin,etc,tmp,www,data,root}
  cp /bin/busybox "$dir/bin/busybox"
  for applet in sh ash cat echo env false httpd kill ls mkdir nc printf ps sleep tail true wget yes \
                id hostname head grep seq; do
    ln -sf busybox "$dir/bin/$applet"
  done
  echo "root:x:0:0:root:/root:/bin/sh" > "$dir/etc/passwd"
  echo "root:x:0:" > "$dir/etc/group"
  chmod 1777 "$dir/tmp"
}

import_image() {  # import_image NAME ROOTFS CMD_JSON [--change ...]
  local name=$1 rootfs=$2 cmd=$3
  shift 3
  tar -C "$rootfs" -c . | docker import \
    --change "ENV ENVMGR_TESTBED_IMAGE=$image_version" --change "CMD $cmd" "$@" - "$name" >/dev/null
  log "built $name"
}

build_images() {
  local work
  work=$(mktemp -d)
  trap 'rm -rf "$work"' RETURN

  # General-purpose test image: busybox with a shell.
  if ! image_current envmgr-test/busybox:latest; then
    busybox_rootfs "$work/busybox"
    import_image envmgr-test/busybox:latest "$work/busybox" '["sh"]'
  fi

  # A real Redis (Debian's redis-server and the libraries it links), named as the stack names it.
  if ! image_current redis:7-alpine; then
    local root="$work/redis"
    busybox_rootfs "$root"
    for program in /usr/bin/redis-server /usr/bin/redis-cli; do
      cp --parents -L "$program" "$root"
      ldd "$program" | awk '/=>/ {print $3} /ld-linux/ {print $1}' | while read -r lib; do
        [[ -f "$lib" ]] && cp --parents -L "$lib" "$root"
      done
    done
    import_image redis:7-alpine "$root" \
      '["redis-server", "--protected-mode", "no", "--dir", "/data"]' --change "WORKDIR /data"
  fi

  # Stand-ins for RedB, InferMesh and Ollama: busybox httpd answering the real health paths
  # after a short start-up delay, on the port the real service reads from its environment.
  # Test fixtures only: the service definitions stay the real ones.
  local standins=(
    "dspy-lightweight:latest|health|sleep \${STANDIN_DELAY:-0.3}; exec httpd -f -p \"\${REDB_HOST:-0.0.0.0}:\${REDB_PORT:-8080}\" -h /www"
    "official-infermesh:latest|health|sleep \${STANDIN_DELAY:-0.3}; exec httpd -f -p \"0.0.0.0:\${MESH_PORT:-9000}\" -h /www"
    "ollama/ollama:latest|api/tags|sleep \${STANDIN_DELAY:-0.3}; exec httpd -f -p \"\${OLLAMA_HOST:-0.0.0.0:11434}\" -h /www"
  )
  for entry in "${standins[@]}"; do
    IFS='|' read -r name path script <<< "$entry"
    image_current "$name" && continue
    local root="$work/standin-${name//[\/:]/-}"
    busybox_rootfs "$root"
    mkdir -p "$(dirname "$root/www/$path")"
    echo '{"status":"ok","standin":true}' > "$root/www/$path"
    import_image "$name" "$root" "[\"sh\", \"-c\", \"${script//\"/\\\"}\"]"
  done
}

# An image that lives only in the registry, so that pull tests see every layer download.
# Its layer holds a few MiB of random bytes: real progress, and no layer shared with others.
push_pull_probe() {
  local remote="$registry_addr/envmgr-test/pull-probe:latest"
  if curl -sf "http://$registry_addr/v2/envmgr-test/pull-probe/manifests/latest" \
       -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' >/dev/null 2>&1; then
    return
  fi
  local work
  work=$(mktemp -d)
  busybox_rootfs "$work/root"
  head -c $((6 * 1024 * 1024)) /dev/urandom > "$work/root/payload.bin"
  import_image "$remote" "$work/root" '["sh"]'
  docker push -q "$remote" >/dev/null
  docker image rm -f "$remote" >/dev/null
  rm -rf "$work"
  log "pushed $remote (registry only)"
}

push_images() {
  # Plain names go under library/ so that the engine's registry mirror finds them.
  local pairs=(
    "redis:7-alpine library/redis:7-alpine"
    "envmgr-test/busybox:latest envmgr-test/busybox:latest"
    "dspy-lightweight:latest library/dspy-lightweight:latest"
    "official-infermesh:latest library/official-infermesh:latest"
    "ollama/ollama:latest ollama/ollama:latest"
  )
  for pair in "${pairs[@]}"; do
    read -r local_name remote <<< "$pair"
    docker tag "$local_name" "$registry_addr/$remote"
    docker push -q "$registry_addr/$remote" >/dev/null
  done
  log "test images pushed to $registry_addr"
}

owns_engine() {  # the dockerd this script started is alive and is the one answering
  local pid
  [[ -f "$run_dir/dockerd.pid" ]] || return 1
  pid=$(cat "$run_dir/dockerd.pid")
  kill -0 "$pid" 2>/dev/null && engine_answers
}

# dockerd 20.10 stopped while it starts a container can leave that container's shim running and
# its overlay root mounted; the next dockerd then cannot remove the container ("device or
# resource busy") for as long as the mount stays, behind its own bind mount of /var/lib/docker.
# With no dockerd running, both are leftovers: end the shims and unmount the roots.
clean_engine_leftovers() {
  local shims mounts
  # Only the shims of this engine: the swarm test-bed's engines (testbed-swarm.sh) run their own.
  shims=$(pgrep -f 'containerd-shim-runc-v2 -namespace moby .*-address /(var/)?run/docker/' || true)
  if [[ -n "$shims" ]]; then
    log "ending leftover container shims: $(echo $shims)"
    kill -KILL $shims 2>/dev/null || true
  fi
  mounts=$(awk '$5 ~ "^/var/lib/docker/overlay2/.*/merged$" { print $5 }' /proc/self/mountinfo)
  for mount in $mounts; do
    log "unmounting leftover container root $mount"
    umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true
  done
}

remove_test_containers() {
  engine_answers || return 0
  local ids
  ids=$(docker ps -aq --filter label=envmgr.test 2>/dev/null || true)
  if [[ -n "$ids" ]]; then
    docker rm -f $ids >/dev/null 2>&1 || true
  fi
}

case "${1:-up}" in
  up | --up)
    [[ $(id -u) -eq 0 ]] || die "run as root (it starts dockerd)"
    ensure_packages
    start_registry
    start_engine
    build_images
    push_images
    push_pull_probe
    log "ready: engine on unix://$socket, registry on $registry_addr"
    ;;
  engine)
    [[ $(id -u) -eq 0 ]] || die "run as root (it starts dockerd)"
    ensure_packages
    start_engine
    ;;
  owns-engine)
    # Tests that must restart or reconfigure the engine ask first, and skip on an engine that
    # belongs to someone else (a developer's own dockerd).
    owns_engine
    ;;
  restart-engine)
    # For the tests that the daemon and an event stream survive an engine restart.
    owns_engine || die "the engine was not started by testbed.sh; not restarting it"
    stop_pidfile dockerd 30
    clean_engine_leftovers
    start_engine
    ;;
  down | --down)
    "$(dirname "$0")/testbed-swarm.sh" down 2>/dev/null || true
    remove_test_containers
    stop_pidfile dockerd 30
    stop_pidfile registry 10
    ;;
  swarm)
    # A real multi-node swarm in network namespaces, for the swarm backend (testbed-swarm.sh).
    shift
    exec "$(dirname "$0")/testbed-swarm.sh" "$@"
    ;;
  status)
    engine_answers && log "engine: up" || log "engine: down"
    registry_answers && log "registry: up" || log "registry: down"
    ;;
  *)
    die "usage: testbed.sh up|engine|down|status|owns-engine|restart-engine|swarm ..."
    ;;
esac
