#include "host/model/service_state.h"

namespace envmgr::host::model {

std::string_view state_name(ServiceState state) {
    switch (state) {
        case ServiceState::stopped: return "stopped";
        case ServiceState::pulling: return "pulling";
        case ServiceState::creating: return "creating";
        case ServiceState::starting: return "starting";
        case ServiceState::waiting_healthy: return "waiting-healthy";
        case ServiceState::healthy: return "healthy";
        case ServiceState::unhealthy: return "unhealthy";
        case ServiceState::restarting: return "restarting";
        case ServiceState::stopping: return "stopping";
        case ServiceState::failed: return "failed";
    }
    return "stopped";
}

bool is_running(ServiceState state) {
    return state == ServiceState::waiting_healthy || state == ServiceState::healthy ||
           state == ServiceState::unhealthy;
}

bool container_runs(ServiceState state) {
    return state == ServiceState::starting || is_running(state);
}

bool container_runs(std::string_view name) {
    for (const auto state : kServiceStates) {
        if (state_name(state) == name) return container_runs(state);
    }
    return false;
}

}  // namespace envmgr::host::model
