// The daemon's BackendClient: each operation goes to the active backend plugin through its
// handle (host/loader keeps the calls in flight).
#pragma once

#include "host/loader/plugin_manager.h"
#include "host/scheduler/backend_client.h"

namespace envmgr::host::scheduler {

class PluginBackendClient : public BackendClient {
public:
    // The active backend is looked up per call: a backend may be refused meanwhile.
    explicit PluginBackendClient(const loader::PluginManager& plugins) : plugins_(plugins) {}

    std::uint64_t invoke(const std::string& operation, const nlohmann::json& request, Done done,
                         Item item) override;
    void cancel(std::uint64_t id) override { plugins_.cancel_call(id); }

private:
    const loader::PluginManager& plugins_;
};

}  // namespace envmgr::host::scheduler
