#include "host/runtime/offline_plugins.h"

#include "host/loader/plugin_path.h"

#include <chrono>

namespace envmgr::host::runtime {
namespace {

loader::HostServices offline_services(metrics::MetricsRegistry& registry) {
    loader::HostServices services;
    services.metrics = &registry;
    return services;
}

}  // namespace

OfflinePlugins::OfflinePlugins(const config::Config& config, const std::shared_ptr<spdlog::logger>& logger)
    : manager_(offline_services(metrics_), logger) {
    manager_.discover(loader::plugin_search_path(config.plugin_path));
}

void OfflinePlugins::create_and_destroy(const config::Config& config,
                                        const config::Environment& environment) {
    create(config, environment);
    destroy();
}

void OfflinePlugins::create(const config::Config& config, const config::Environment& environment) {
    manager_.create_all(config, environment);
}

void OfflinePlugins::destroy() {
    manager_.stop_all(std::chrono::seconds(1));
}

OfflinePlugins::~OfflinePlugins() {
    destroy();
}

}  // namespace envmgr::host::runtime
