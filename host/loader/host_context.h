// The host side of the host API: one context per plugin instance, and the C table over it.
#pragma once

#include "host/loader/call_tracker.h"
#include "host/loader/host_services.h"

#include <envmgr/abi.h>

#include <spdlog/logger.h>

#include <memory>
#include <string>

// Defined here, opaque to plugins (abi.h only declares it).
struct envmgr_host_context {
    std::string plugin_id;
    std::shared_ptr<spdlog::logger> logger;
    envmgr::host::loader::HostServices services;
    // What the plugin started through this context, and the gate of callbacks into it.
    std::shared_ptr<envmgr::host::loader::CallTracker> calls;
    envmgr_host_api api{};
};

namespace envmgr::host::loader {

// A context whose api field is filled and points back at the context.
std::unique_ptr<envmgr_host_context> make_host_context(const std::string& plugin_id,
                                                       std::shared_ptr<spdlog::logger> logger,
                                                       HostServices services);

// Ends what the plugin started through its context (see CallTracker::shut).
CallTracker::ShutResult shut_host_context(envmgr_host_context& ctx, std::chrono::milliseconds bound);

}  // namespace envmgr::host::loader
