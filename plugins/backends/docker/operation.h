// One in-flight backend operation, and the registry that finds it by id for cancel.
#pragma once

#include "plugins/backends/docker/http_client.h"

#include <envmgr/sdk/completion.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace envmgr::plugins::backends::docker {

// Touched only on the io thread once dispatched.
struct Operation {
    envmgr_operation_id id = 0;
    std::string name;
    nlohmann::json request;
    sdk::Completion done;
    std::shared_ptr<HttpExchange> exchange;  // the engine call in flight, for cancel
    bool cancelled = false;
    std::function<void()> cleanup;  // runs once when the operation ends (timers to cancel)
};
using OperationPtr = std::shared_ptr<Operation>;

// The operations that have not ended. Any thread.
class OperationRegistry {
public:
    OperationPtr add(std::string name, nlohmann::json request, sdk::Completion done);
    [[nodiscard]] OperationPtr find(envmgr_operation_id id) const;
    void erase(envmgr_operation_id id);
    [[nodiscard]] std::vector<envmgr_operation_id> ids() const;

private:
    mutable std::mutex mutex_;
    std::map<envmgr_operation_id, OperationPtr> operations_;
    std::atomic<envmgr_operation_id> next_id_{1};
};

}  // namespace envmgr::plugins::backends::docker
