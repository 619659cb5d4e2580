// Killing the process of an exec that ran out of time. The engine's API cannot end an exec,
// so we signal its process ourselves, which works only when the engine's processes are
// visible here (the engine on this host, env-manager in the host's PID namespace).
#pragma once

#include <string>

namespace envmgr::plugins::backends::docker {

// exec_pid and container_pid as the engine reports them (host PIDs). Sends SIGKILL to exec_pid
// only when it provably belongs to the container: both PIDs show the same PID namespace here.
// Returns what happened, as a clause for the timeout message.
std::string kill_exec_process(long exec_pid, long container_pid);

}  // namespace envmgr::plugins::backends::docker
