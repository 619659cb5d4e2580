#include "host/scheduler/plugin_backend_client.h"

namespace envmgr::host::scheduler {

std::uint64_t PluginBackendClient::invoke(const std::string& operation, const nlohmann::json& request,
                                          Done done, Item item) {
    const auto backend = plugins_.active_backend();
    if (!backend) {
        done({ENVMGR_STATUS_UNAVAILABLE, "no backend plugin is loaded: cannot run " + operation});
        return 0;
    }
    return backend->invoke(operation, request.dump(), std::move(done), std::move(item));
}

}  // namespace envmgr::host::scheduler
