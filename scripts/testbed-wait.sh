# wait_for SECONDS WHAT COMMAND...: runs COMMAND every 0.1 s until it succeeds; after SECONDS,
# dies (the sourcing script's die) saying "WHAT did not come up", with the logs' folder.
# Sourced by testbed.sh and testbed-swarm.sh, which define die and log_dir.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  die "$what did not come up within ${seconds}s (logs in $log_dir)"
}
