// The daemon's BackendClient: each operation goes to the active backend plugin through the ABI.
#pragma once

#include "host/loader/plugin_instance.h"
#include "host/scheduler/backend_client.h"

#include <map>
#include <memory>
#include <mutex>

namespace envmgr::host::scheduler {

class PluginBackendClient : public BackendClient {
public:
    // The active backend, or null; looked up per call (a backend may be refused meanwhile).
    using Lookup = std::function<std::shared_ptr<loader::PluginInstance>()>;

    explicit PluginBackendClient(Lookup lookup) : lookup_(std::move(lookup)) {}

    std::uint64_t invoke(const std::string& operation, const nlohmann::json& request, Done done,
                         Item item) override;
    void cancel(std::uint64_t id) override;

private:
    struct Pending {
        std::shared_ptr<loader::PluginInstance> backend;  // held while the operation runs
        envmgr_operation_id operation = 0;
    };

    Lookup lookup_;
    std::mutex mutex_;
    std::map<std::uint64_t, Pending> pending_;
    std::uint64_t next_id_ = 1;
};

}  // namespace envmgr::host::scheduler
