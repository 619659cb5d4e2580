#include "host/health/readiness_rule.h"

#include <algorithm>

namespace envmgr::host::health {

std::optional<HealthVerdict> decide_health(const std::vector<ProbeSchedule::State>& probes,
                                           HealthState current) {
    const bool all_pass = std::all_of(probes.begin(), probes.end(),
                                      [](auto state) { return state == ProbeSchedule::State::passing; });
    const bool any_fails = std::any_of(probes.begin(), probes.end(),
                                       [](auto state) { return state == ProbeSchedule::State::failing; });
    if (all_pass && current == HealthState::waiting) return HealthVerdict{HealthState::ready, "ready"};
    if (all_pass && current == HealthState::unhealthy) return HealthVerdict{HealthState::ready, "recovered"};
    if (any_fails && current == HealthState::ready) return HealthVerdict{HealthState::unhealthy, "unhealthy"};
    return std::nullopt;
}

}  // namespace envmgr::host::health
