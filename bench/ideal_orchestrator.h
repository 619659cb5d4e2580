// The strongest start a script could make of a tenant's services through the backend's raw
// operations, the baseline lifecycle_bench measures env-manager against: every service is
// launched on a thread of its own the instant its dependencies answer (those released at the
// same moment in critical-path order), and each started service is probed every 10 ms on its
// own thread until ready. With `precreate`, every container is also created at t0, in
// parallel, so that a launch is only the start. `gated` goes further, as an experiment of a
// technique env-manager does not use: every container that waits for a dependency is created
// and started at t0 (in critical-path order) behind a gate, a shell that waits for SIGUSR1
// before it runs the service's own command, so that its launch is only that signal.
#pragma once

#include "host/health/probe_runner.h"
#include "tests/support/lifecycle_harness.h"

#include <string>

namespace envmgr::bench {

enum class IdealMode { plain, precreate, gated };

// Milliseconds from the first call to every service ready (a service not ready within 60 s
// is reported and ends the measurement).
double ideal_start(tests::LifecycleHarness& harness, host::health::ProbeRunner& runner,
                   const std::string& tenant, IdealMode mode);

}  // namespace envmgr::bench
