// SIGHUP's reload: the configuration file read again and its services resolved through the
// running service plugins. A valid one replaces the lifecycle engine's services for the starts
// and restarts that begin afterwards (a running container is recreated only when its
// definition changed and only when it is started again); an invalid one is refused with each
// error logged, and the old one stays. Only the services and tenants are reloaded: the other
// settings (addresses, plugins and their sections, logging) take effect at the daemon's next
// start, and a reload that changes them says so.
#pragma once

#include "host/config/config.h"
#include "host/config/environment.h"
#include "host/loader/plugin_manager.h"
#include "host/metrics/daemon_metrics.h"
#include "host/scheduler/lifecycle_engine.h"

#include <spdlog/logger.h>

#include <memory>

namespace envmgr::host::runtime {

struct ReloadInputs {
    const config::Config& running;  // the configuration the daemon started with
    const config::Environment& environment;
    const loader::PluginManager& plugins;
    scheduler::LifecycleEngine& engine;
    metrics::StatusMetrics& status_metrics;
    spdlog::logger& logger;
};

// The registry now in use when the reload took; nullptr when it was refused (all logged).
std::shared_ptr<const registry::Registry> reload_configuration(const ReloadInputs& inputs);

}  // namespace envmgr::host::runtime
