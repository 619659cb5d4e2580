// The plugins of the plugin path, loaded for a one-shot command (--list-plugins,
// --check-config) rather than for the daemon: no executor, nothing started.
#pragma once

#include "host/config/config.h"
#include "host/config/environment.h"
#include "host/loader/plugin_manager.h"
#include "host/metrics/metrics_registry.h"

#include <spdlog/logger.h>

#include <memory>

namespace envmgr::host::runtime {

class OfflinePlugins {
public:
    OfflinePlugins(const config::Config& config, const std::shared_ptr<spdlog::logger>& logger);

    // Creates (without starting) and destroys every plugin, so that whatever the daemon would
    // refuse at create is refused here too, with its reason.
    void create_and_destroy(const config::Config& config, const config::Environment& environment);
    // Creates every plugin and keeps them until destroy() (or the destructor), for commands that
    // ask them something (the registry's definitions and resolve hooks).
    void create(const config::Config& config, const config::Environment& environment);
    void destroy();

    OfflinePlugins(const OfflinePlugins&) = delete;
    OfflinePlugins& operator=(const OfflinePlugins&) = delete;
    ~OfflinePlugins();

    [[nodiscard]] loader::PluginManager& manager() noexcept { return manager_; }

private:
    metrics::MetricsRegistry metrics_;  // declared first: the manager's plugins record into it
    loader::PluginManager manager_;
};

}  // namespace envmgr::host::runtime
