// How the lifecycle engine talks to the container engine: backend operations by name
// (plugin_api/docs/backend-operations.md), asynchronous, cancellable. The daemon's goes to the
// backend plugin through the ABI; the scheduler's unit tests use an in-memory one.
#pragma once

#include <envmgr/sdk/async_call.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace envmgr::host::scheduler {

class BackendClient {
public:
    using Done = std::function<void(const sdk::Result& result)>;
    using Item = std::function<void(std::string_view item_json)>;

    virtual ~BackendClient() = default;

    // done runs exactly once, from any thread, possibly before invoke returns; items (streaming
    // operations) before it. Returns an id for cancel, 0 when it already completed.
    virtual std::uint64_t invoke(const std::string& operation, const nlohmann::json& request, Done done,
                                 Item item = {}) = 0;
    virtual void cancel(std::uint64_t id) = 0;
};

}  // namespace envmgr::host::scheduler
