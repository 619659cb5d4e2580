// All probes must pass: a watched instance is ready when every probe passes, unhealthy when
// one fails after it was ready, and recovered when all pass again. Pure.
#pragma once

#include "host/health/health_types.h"
#include "host/health/probe_schedule.h"

#include <optional>
#include <string_view>
#include <vector>

namespace envmgr::host::health {

struct HealthVerdict {
    HealthState to;
    std::string_view kind;  // ready, recovered, unhealthy
};

// The transition the probes' states call for from `current`, or none.
std::optional<HealthVerdict> decide_health(const std::vector<ProbeSchedule::State>& probes,
                                           HealthState current);

}  // namespace envmgr::host::health
