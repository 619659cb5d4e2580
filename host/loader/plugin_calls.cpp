#include "host/loader/plugin_calls.h"

#include <envmgr/sdk/async_call.h>

namespace envmgr::host::loader {

std::uint64_t PluginCalls::start(const Start& start, Cancel cancel, Done done, Item item) {
    std::uint64_t id = 0;
    {
        const std::lock_guard lock(mutex_);
        id = next_id_++;
        pending_.emplace(id, Pending{std::move(cancel), 0});
    }
    sdk::ItemHandler on_item;
    if (item) on_item = [item = std::move(item)](std::string_view json) { item(json); };
    // The table outlives every completion it still expects.
    const auto callbacks = sdk::make_callbacks(
        [self = shared_from_this(), id, done = std::move(done)](const sdk::Result& result) {
            Pending finished;
            {
                const std::lock_guard lock(self->mutex_);
                const auto it = self->pending_.find(id);
                if (it != self->pending_.end()) {
                    finished = std::move(it->second);  // its plugin is let go outside the lock
                    self->pending_.erase(it);
                }
            }
            done(result);
        },
        std::move(on_item));
    const auto operation = start(callbacks);
    const std::lock_guard lock(mutex_);
    const auto it = pending_.find(id);
    if (it == pending_.end()) return 0;  // completed during the call
    it->second.operation = operation;
    return id;
}

void PluginCalls::cancel(std::uint64_t call) {
    Cancel cancel;
    envmgr_operation_id operation = 0;
    {
        const std::lock_guard lock(mutex_);
        const auto it = pending_.find(call);
        if (it == pending_.end() || it->second.operation == 0) return;
        cancel = it->second.cancel;
        operation = it->second.operation;
    }
    cancel(operation);
}

std::size_t PluginCalls::in_flight() const {
    const std::lock_guard lock(mutex_);
    return pending_.size();
}

}  // namespace envmgr::host::loader
