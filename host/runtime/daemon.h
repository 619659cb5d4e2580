// The running daemon: one io_context on a small thread pool, the plugins, and a graceful
// shutdown on SIGINT/SIGTERM (a second signal forces the exit).
#pragma once

#include "host/config/config.h"
#include "host/config/environment.h"
#include "host/loader/plugin_manager.h"
#include "host/registry/service_registry.h"

#include <spdlog/logger.h>

#include <memory>
#include <optional>

namespace envmgr::host::runtime {

class Daemon {
public:
    Daemon(config::Config config, config::Environment environment, std::shared_ptr<spdlog::logger> logger);
    // Blocks until a signal stops the daemon. Returns the process exit code.
    int run();

private:
    // Finds, creates and starts the plugins and builds the registry from them; nullopt (all
    // logged, the plugins stopped again) when the configuration or the services are invalid.
    std::optional<registry::Registry> load_plugins(loader::PluginManager& plugins) const;

    config::Config config_;
    config::Environment environment_;
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace envmgr::host::runtime
