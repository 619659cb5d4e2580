// The states of a service instance, as status-snapshot.md names them.
#pragma once

#include <array>
#include <string_view>

namespace envmgr::host::model {

enum class ServiceState {
    stopped,
    pulling,
    creating,
    starting,
    waiting_healthy,
    healthy,
    unhealthy,
    restarting,
    stopping,
    failed,
};

// Every state, in the order above.
inline constexpr std::array<ServiceState, 10> kServiceStates{
    ServiceState::stopped,         ServiceState::pulling, ServiceState::creating,  ServiceState::starting,
    ServiceState::waiting_healthy, ServiceState::healthy, ServiceState::unhealthy, ServiceState::restarting,
    ServiceState::stopping,        ServiceState::failed};

// "waiting-healthy", ... (status-snapshot.md)
std::string_view state_name(ServiceState state);

// Running, whether ready or not: what a `started` dependency needs.
bool is_running(ServiceState state);
// Its container runs (from `starting` on, ready or not): what has resource usage to show.
bool container_runs(ServiceState state);
// The same for a state's name, as snapshots and bus events carry it; false for other text.
bool container_runs(std::string_view name);

}  // namespace envmgr::host::model
