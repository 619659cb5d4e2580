// What the host offers plugins through the host API, gathered in one place.
#pragma once

#include "host/events/event_bus.h"
#include "host/loader/plugin_handles.h"
#include "host/metrics/metrics_registry.h"

#include <envmgr/abi.h>

#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace envmgr::host::loader {

// Handles a manager operation for frontends; completes through callbacks exactly once.
using ManagerHandler = std::function<envmgr_operation_id(
    const std::string& operation, const std::string& request_json, const envmgr_callbacks& callbacks)>;

struct HostServices {
    boost::asio::any_io_executor executor;  // empty: one-shot commands
    metrics::MetricsRegistry* metrics = nullptr;
    events::EventBus* event_bus = nullptr;                         // null: no subscriptions
    std::function<std::optional<BackendHandle>()> active_backend;  // null: no backend loaded
    ManagerHandler manager;                                        // empty: no manager operations
    std::function<void(envmgr_operation_id)> manager_cancel;
};

}  // namespace envmgr::host::loader
