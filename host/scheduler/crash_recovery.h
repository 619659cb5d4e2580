// What env-manager does when a container it runs ends on its own or turns unhealthy: restart it
// after a back-off where its restart policy says so (kubelet's CrashLoopBackOff: 1 s doubling
// to the cap, the count reset by a stable run), else mark it failed, or, a one-shot job that
// exited 0, completed. The engine's own restart policy stays "no": env-manager owns restarts.
// On the engine core's strand.
#pragma once

#include "host/scheduler/engine_core.h"

#include <string>

namespace envmgr::host::scheduler {

// A watched container ended outside a stop: its exit code is read, then decide_exit.
void on_container_exit(EngineCore& core, const InstanceKey& key, const std::string& reason);
// The same once the exit code is known.
void decide_exit(EngineCore& core, const InstanceKey& key, const std::string& reason, int exit_code);
// A service that turned unhealthy with restart_on_unhealthy: stopped with its grace, then
// restarted as a failed exit would be (its policy, limit and back-off).
void restart_unhealthy(EngineCore& core, const InstanceKey& key, const std::string& reason);

}  // namespace envmgr::host::scheduler
