# What testbed.sh and testbed-swarm.sh share; sourced by both, which define log, die, log_dir
# and run_dir.

# wait_for SECONDS WHAT COMMAND...: runs COMMAND every 0.1 s until it succeeds; after SECONDS,
# dies saying "WHAT did not come up", with the logs' folder.
wait_for() {
  local seconds=$1 what=$2
  shift 2
  for ((i = 0; i < seconds * 10; i++)); do
    if "$@"; then return 0; fi
    sleep 0.1
  done
  die "$what did not come up within ${seconds}s (logs in $log_dir)"
}

# stop_pidfile NAME SECONDS: the process in $run_dir/NAME.pid gets SIGTERM, and SIGKILL when it
# has not ended within SECONDS; the pid file goes.
stop_pidfile() {
  local file="$run_dir/$1.pid" pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $1 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < $2 * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
