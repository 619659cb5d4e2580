#include "host/scheduler/plugin_backend_client.h"

namespace envmgr::host::scheduler {

std::uint64_t PluginBackendClient::invoke(const std::string& operation, const nlohmann::json& request,
                                          Done done, Item item) {
    auto backend = lookup_();
    if (!backend) {
        done({ENVMGR_STATUS_UNAVAILABLE, "no backend plugin is loaded: cannot run " + operation});
        return 0;
    }
    std::uint64_t id = 0;
    {
        const std::lock_guard lock(mutex_);
        id = next_id_++;
        pending_.emplace(id, Pending{backend, 0});
    }
    sdk::ItemHandler on_item;
    if (item) on_item = [item = std::move(item)](std::string_view json) { item(json); };
    const auto callbacks = sdk::make_callbacks(
        [this, id, done = std::move(done)](const sdk::Result& result) {
            {
                const std::lock_guard lock(mutex_);
                pending_.erase(id);
            }
            done(result);
        },
        std::move(on_item));
    const auto handle = backend->library().backend_api.invoke(backend->raw(), operation.c_str(),
                                                              request.dump().c_str(), &callbacks);
    const std::lock_guard lock(mutex_);
    const auto it = pending_.find(id);
    if (it == pending_.end()) return 0;  // completed during the call
    it->second.operation = handle;
    return id;
}

void PluginBackendClient::cancel(std::uint64_t id) {
    Pending pending;
    {
        const std::lock_guard lock(mutex_);
        const auto it = pending_.find(id);
        if (it == pending_.end() || it->second.operation == 0) return;
        pending = it->second;
    }
    pending.backend->library().backend_api.cancel(pending.backend->raw(), pending.operation);
}

}  // namespace envmgr::host::scheduler
