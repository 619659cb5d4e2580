#!/usr/bin/env bash
# A real Docker Swarm on one machine, for the swarm backend's tests (called as testbed.sh swarm):
#   testbed.sh swarm up [NODES]   NODES dockerd processes (default 3) form a swarm: node 1 the
#                                 manager, the others workers; the test images loaded into each
#   testbed.sh swarm down         stop them and remove every namespace, link, mount and file made
#   testbed.sh swarm status       say what runs
#   testbed.sh swarm env          the shell variables the tests read (ENVMGR_SWARM_*)
# Each node is a dockerd in a network namespace of its own (envmgr-swarm-N), joined by a veth
# pair to a bridge in a hub namespace (envmgr-swarm-hub), with private addresses that exist only
# on these links: node N at 192.168.213.(10+N), and 192.168.213.1 on this host's end of one more
# pair into the hub (so that probes reach published ports). The bridge lives in the hub, not
# here, because a bridge here is filtered by this host's iptables (bridge-nf-call-iptables, and
# the engine's FORWARD policy DROP), which would drop what the nodes send each other. The daemons are started with nsenter --net (ip netns exec would make a
# mount namespace of its own, where dockerd finds no devices cgroup) and their own data root,
# exec root, pid file and socket, so they share nothing with the test-bed's engine.
# What this kernel lacks is said at `up`: without IPVS the ingress routing mesh cannot work, so
# services publish ports in host mode.
set -euo pipefail

state_dir=${ENVMGR_TESTBED_DIR:-/var/lib/envmgr-testbed}/swarm
run_dir=/run/envmgr-testbed/swarm
log_dir=/var/log/envmgr-testbed
hub=envmgr-swarm-hub
host_link=envmgr-swarm0
net_prefix=192.168.213
host_address=$net_prefix.1
images=(envmgr-test/busybox:latest redis:7-alpine official-infermesh:latest dspy-lightweight:latest
        ollama/ollama:latest)

log() { echo "testbed swarm: $*" >&2; }
die() { log "error: $*"; exit 1; }

namespace() { echo "envmgr-swarm-$1"; }
node_address() { echo "$net_prefix.$((10 + $1))"; }
node_socket() { echo "$run_dir/node$1.sock"; }
node_docker() { local node=$1; shift; docker -H "unix://$(node_socket "$node")" "$@"; }
node_answers() { curl -sf --max-time 2 --unix-socket "$(node_socket "$1")" http://localhost/_ping >/dev/null 2>&1; }
nodes_made() {  # the node numbers whose namespace exists
  ip netns list 2>/dev/null | sed -n 's/^envmgr-swarm-\([0-9]\+\).*/\1/p' | sort -n
}

# shellcheck source=scripts/testbed-lib.sh
source "$(dirname "$0")/testbed-lib.sh"

make_hub() {  # the hub namespace, its bridge and this host's link into it
  ip link delete "$host_link" 2>/dev/null || true  # left by a hub whose namespace was just deleted
  ip netns add "$hub"
  ip -n "$hub" link add br0 type bridge
  ip -n "$hub" link set br0 up
  ip link add "$host_link" type veth peer name host netns "$hub"
  ip -n "$hub" link set host master br0
  ip -n "$hub" link set host up
  ip addr add "$host_address/24" dev "$host_link"
  ip link set "$host_link" up
}

make_namespace() {  # make_namespace N: the namespace, its link to the bridge and its address
  local node=$1 ns
  ns=$(namespace "$node")
  ip netns add "$ns"
  ip -n "$hub" link add "node$node" type veth peer name eth0 netns "$ns"
  ip -n "$hub" link set "node$node" master br0
  ip -n "$hub" link set "node$node" up
  ip -n "$ns" addr add "$(node_address "$node")/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
}

start_node() {  # start_node N: its dockerd, inside its namespace
  local node=$1
  mkdir -p "$state_dir/node$node" "$run_dir/node$node" "$log_dir"
  # A UTS namespace too, so that each node has a host name of its own (Swarm names nodes so).
  nsenter --net="/var/run/netns/$(namespace "$node")" unshare --uts sh -c \
    "hostname $(namespace "$node") && exec setsid dockerd \"\$@\"" dockerd \
    --data-root "$state_dir/node$node" --exec-root "$run_dir/node$node" \
    --pidfile "$run_dir/node$node.pid" --host "unix://$(node_socket "$node")" \
    >"$log_dir/swarm-node$node.log" 2>&1 </dev/null &
  wait_for 60 "dockerd of node $node" node_answers "$node"
}

load_images() {  # load_images N: the test images, from the test-bed's engine (no registry needed)
  docker save "${images[@]}" | node_docker "$1" load -q >/dev/null
}

form_swarm() {  # form_swarm NODES: node 1 initialises, the others join as workers
  local count=$1 token
  node_docker 1 swarm init --advertise-addr "$(node_address 1)" --listen-addr "$(node_address 1):2377" >/dev/null
  token=$(node_docker 1 swarm join-token -q worker)
  for ((node = 2; node <= count; node++)); do
    node_docker "$node" swarm join --token "$token" --advertise-addr "$(node_address "$node")" \
      "$(node_address 1):2377" >/dev/null
  done
  wait_for 60 "a swarm of $count ready nodes" nodes_ready "$count"
}

nodes_ready() {
  [[ $(node_docker 1 node ls --format '{{.Status}}' 2>/dev/null | grep -c '^Ready$') -eq $1 ]]
}

stop_node() {  # stop_node N: its dockerd, what it leaves running, and what it leaves mounted
  local node=$1 shims ids
  # Its containers first, at once: a dockerd that stops them itself gives each its grace period.
  if node_answers "$node"; then
    ids=$(node_docker "$node" ps -aq 2>/dev/null || true)
    [[ -z "$ids" ]] || node_docker "$node" rm -f $ids >/dev/null 2>&1 || true
  fi
  stop_pidfile "node$node" 20
  shims=$(pgrep -f "containerd-shim-runc-v2 .*-address $run_dir/node$node/" || true)
  [[ -z "$shims" ]] || kill -KILL $shims 2>/dev/null || true
  # The node's folders themselves too: a dockerd that was killed (a node's failure in the tests)
  # leaves its data root bind-mounted on itself.
  awk -v a="$state_dir/node$node" -v b="$run_dir/node$node" \
    '$5 == a || $5 == b || index($5, a "/") == 1 || index($5, b "/") == 1 { print $5 }' /proc/self/mountinfo | sort -r |
    while read -r mount; do umount "$mount" 2>/dev/null || umount -l "$mount" 2>/dev/null || true; done
}

up() {
  local count=${1:-3}
  [[ $(id -u) -eq 0 ]] || die "run as root (it makes namespaces and starts dockerd)"
  [[ "$count" =~ ^[1-9]$ ]] || die "NODES: 1 to 9, not '$count'"
  if [[ -n "$(nodes_made)" ]] || ip netns list | grep -q "^$hub"; then
    log "a swarm test-bed exists already; taking it down first"
    down
  fi
  docker image inspect "${images[@]}" >/dev/null 2>&1 || die "the test images are missing: run testbed.sh up first"
  [[ -d /sys/module/ip_vs ]] ||
    log "this kernel has no IPVS: the ingress routing mesh cannot work here, so publish ports in host mode"
  make_hub
  for ((node = 1; node <= count; node++)); do
    make_namespace "$node"
    start_node "$node"
    load_images "$node"
  done
  form_swarm "$count"
  log "ready: $count nodes; manager on unix://$(node_socket 1), nodes at $(node_address 1) to $(node_address "$count")"
}

down() {
  local node
  for node in $(nodes_made); do stop_node "$node" & done
  wait
  # Links are deleted first, each with both its ends at once: a namespace's own links go only
  # when the kernel gets round to the namespace, so a quick `up` after it could meet them.
  for node in $(nodes_made); do
    ip -n "$hub" link delete "node$node" 2>/dev/null || true
    ip netns delete "$(namespace "$node")" 2>/dev/null || true
  done
  ip link delete "$host_link" 2>/dev/null || true
  ip netns delete "$hub" 2>/dev/null || true
  rm -rf "$state_dir" "$run_dir"
  log "down: no namespace, link or daemon of the swarm test-bed is left"
}

status() {
  local made
  made=$(nodes_made)
  [[ -n "$made" ]] || { log "not up"; return 0; }
  for node in $made; do
    if node_answers "$node"; then
      log "node $node ($(node_address "$node")): $(node_docker "$node" info --format '{{.Swarm.LocalNodeState}}')"
    else
      log "node $node ($(node_address "$node")): dockerd does not answer"
    fi
  done
}

print_env() {
  local made
  made=$(nodes_made | tr '\n' ' ')
  [[ -n "$made" ]] || die "not up: testbed.sh swarm up"
  echo "ENVMGR_SWARM_MANAGER=unix://$(node_socket 1)"
  echo "ENVMGR_SWARM_NODES=\"$(for n in $made; do echo -n "$n=unix://$(node_socket "$n")@$(node_address "$n") "; done)\""
  echo "ENVMGR_SWARM_HOST_ADDRESS=$host_address"
}

case "${1:-status}" in
  up) up "${2:-3}" ;;
  down) down ;;
  status) status ;;
  env) print_env ;;
  *) die "usage: testbed.sh swarm up [NODES]|down|status|env" ;;
esac
