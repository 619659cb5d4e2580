// What runs the services once the plugins run, made in dependency order: probes and the
// supervisor, the engine's event stream, the backend client, the lifecycle engine, ExecuteTask,
// the resource-usage cache and the manager operations frontends call. shut_down() takes them
// down in the order that leaves nothing running on a part already gone.
#pragma once

#include "host/config/config.h"
#include "host/events/event_bus.h"
#include "host/health/container_events.h"
#include "host/health/health_supervisor.h"
#include "host/health/measured_probe_runner.h"
#include "host/health/plugin_probe_runner.h"
#include "host/loader/plugin_manager.h"
#include "host/manager/manager_operations.h"
#include "host/metrics/metrics_registry.h"
#include "host/registry/service_registry.h"
#include "host/scheduler/lifecycle_engine.h"
#include "host/scheduler/plugin_backend_client.h"
#include "host/stats/stats_cache.h"
#include "host/tasks/task_runner.h"

#include <spdlog/logger.h>

#include <boost/asio/io_context.hpp>

#include <memory>

namespace envmgr::host::runtime {

struct DaemonContext {
    boost::asio::io_context& io;
    const config::Config& config;
    const registry::Registry& registry;
    loader::PluginManager& plugins;
    events::EventBus& event_bus;
    metrics::MetricsRegistry& metrics;
    std::shared_ptr<spdlog::logger> logger;
};

class ServiceParts {
public:
    explicit ServiceParts(const DaemonContext& daemon);
    ServiceParts(const ServiceParts&) = delete;
    ServiceParts& operator=(const ServiceParts&) = delete;

    [[nodiscard]] scheduler::LifecycleEngine& engine() noexcept { return *engine_; }
    [[nodiscard]] manager::ManagerOperations& operations() noexcept { return *operations_; }
    // Ends the task containers a previous run left behind, each logged.
    void sweep_task_leftovers(spdlog::logger& logger);
    // Starts the resource-usage polling (once adoption is done).
    void start_polling() { stats_->start(); }
    // Stops the services when the configuration says so, then the engine, the event stream and
    // the supervisor; the plugins are stopped after this.
    void shut_down(const config::Config& config, const registry::Registry& registry, spdlog::logger& logger);

private:
    health::PluginProbeRunner probe_runner_;
    health::MeasuredProbeRunner measured_runner_;
    health::HealthSupervisor supervisor_;
    health::ContainerEvents container_events_;
    scheduler::PluginBackendClient backend_client_;
    std::unique_ptr<scheduler::LifecycleEngine> engine_;
    tasks::TaskRunner task_runner_;
    std::shared_ptr<stats::StatsCache> stats_;
    std::unique_ptr<manager::ManagerOperations> operations_;
};

}  // namespace envmgr::host::runtime
