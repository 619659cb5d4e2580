// The health states' names and the `health` event of a transition.
#include "host/health/health_types.h"

#include <envmgr/sdk/documents/manager_documents.h>

#include <nlohmann/json.hpp>

namespace envmgr::host::health {

std::string_view health_state_name(HealthState state) {
    switch (state) {
        case HealthState::waiting: return "waiting";
        case HealthState::ready: return "ready";
        case HealthState::unhealthy: return "unhealthy";
        case HealthState::exited: return "exited";
    }
    return "unknown";
}

std::string health_event_document(const HealthTransition& transition, std::int64_t timestamp_ms) {
    const sdk::HealthEvent event{transition.tenant,
                                 transition.service,
                                 transition.container_id,
                                 transition.kind,
                                 std::string(health_state_name(transition.to)),
                                 std::string(health_state_name(transition.from)),
                                 transition.to == HealthState::ready,
                                 transition.reason,
                                 transition.probe,
                                 timestamp_ms};
    return nlohmann::json(event).dump();
}

}  // namespace envmgr::host::health
