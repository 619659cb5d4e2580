// The one table of operations the host has in flight inside plugins (backend invokes, probe
// checks, service resolves): the ids the host hands out, the plugin's own operation id once its
// starting call returned, a completion that arrives during that call, and cancel. Each entry
// holds its plugin (through the cancel it was given) until the operation completes, so a
// plugin is never destroyed while it still owes a completion.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/status.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>

namespace envmgr::host::loader {

class PluginCalls : public std::enable_shared_from_this<PluginCalls> {
public:
    using Done = std::function<void(const sdk::Result& result)>;
    using Item = std::function<void(std::string_view item_json)>;
    // Calls into the plugin's table with the callbacks given; returns the plugin's operation id.
    using Start = std::function<envmgr_operation_id(const envmgr_callbacks& callbacks)>;
    using Cancel = std::function<void(envmgr_operation_id operation)>;

    // Runs start with callbacks that deliver each item to item and the end to done (exactly
    // once). Returns the id to cancel by, or 0 when the operation completed during start.
    std::uint64_t start(const Start& start, Cancel cancel, Done done, Item item = {});
    // Cancels a call in flight; unknown or finished ids are ignored.
    void cancel(std::uint64_t call);
    [[nodiscard]] std::size_t in_flight() const;

private:
    struct Pending {
        Cancel cancel;
        envmgr_operation_id operation = 0;  // 0 until the starting call returned
    };

    mutable std::mutex mutex_;
    std::map<std::uint64_t, Pending> pending_;
    std::uint64_t next_id_ = 1;
};

}  // namespace envmgr::host::loader
