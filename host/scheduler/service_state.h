// The states of a service instance, as status-snapshot.md names them.
#pragma once

#include <string_view>

namespace envmgr::host::scheduler {

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

// "waiting-healthy", ... (status-snapshot.md)
std::string_view state_name(ServiceState state);

// Running, whether ready or not: what a `started` dependency needs.
bool is_running(ServiceState state);

}  // namespace envmgr::host::scheduler
