#include "host/runtime/service_parts.h"

#include "host/runtime/service_lifecycle.h"
#include "host/tasks/host_figures.h"

#include <unistd.h>

#include <algorithm>

namespace envmgr::host::runtime {
namespace {

// Capacities of -1 come from the host: cores for CPU classes, the GPUs nvidia-smi lists.
tasks::TaskSettings task_settings(const config::Config& config, spdlog::logger& logger) {
    tasks::TaskSettings settings;
    settings.default_timeout_seconds = config.tasks_default_timeout_seconds;
    settings.nvidia_smi = config.tasks_nvidia_smi;
    const auto cores = static_cast<std::int64_t>(::sysconf(_SC_NPROCESSORS_ONLN));
    settings.capacity["cpu_short"] =
        config.tasks_cpu_short_capacity >= 0 ? config.tasks_cpu_short_capacity : cores;
    settings.capacity["cpu_long"] = config.tasks_cpu_long_capacity >= 0
                                        ? config.tasks_cpu_long_capacity
                                        : std::max<std::int64_t>(1, cores / 2);
    if (config.tasks_gpu_capacity >= 0) {
        settings.capacity["gpu"] = config.tasks_gpu_capacity;
    } else {
        const auto figures = tasks::read_host_figures(config.tasks_nvidia_smi);
        settings.capacity["gpu"] = static_cast<std::int64_t>(figures.gpus.size());
        if (!figures.gpu_note.empty()) logger.info("gpu task capacity 0: {}", figures.gpu_note);
    }
    return settings;
}

health::SupervisorSettings supervisor_settings(const config::Config& config) {
    health::SupervisorSettings settings;
    settings.defaults.interval = health::Millis(config.health_interval_ms);
    settings.defaults.readiness_interval = health::Millis(config.health_readiness_interval_ms);
    settings.defaults.readiness_fast_period = health::Millis(config.health_readiness_fast_period_ms);
    settings.defaults.readiness_max_interval = health::Millis(config.health_readiness_max_interval_ms);
    settings.max_concurrent_checks = static_cast<std::size_t>(config.health_max_concurrent_checks);
    settings.probe_address = config.health_probe_address;
    settings.no_probe_ready_after = health::Millis(config.health_no_probe_ready_ms);
    return settings;
}

void record_queue_depths(metrics::MetricsRegistry& metrics, const scheduler::LifecycleEngine& engine) {
    metrics.add_collector([depths = engine.queue_depths()](metrics::MetricsRegistry& target) {
        const auto [starts, stops] = depths();
        target.record(ENVMGR_METRIC_KIND_GAUGE_SET, "envmgr_start_queue_depth",
                      "Services that starts have yet to begin on", {}, static_cast<double>(starts));
        target.record(ENVMGR_METRIC_KIND_GAUGE_SET, "envmgr_stop_queue_depth",
                      "Services that stops have yet to begin on", {}, static_cast<double>(stops));
    });
}

}  // namespace

// Probes run on the probe plugins; the engine's events reach the supervisor through one stream
// for the whole daemon.
ServiceParts::ServiceParts(const DaemonContext& daemon)
    : probe_runner_(daemon.plugins),
      measured_runner_(probe_runner_, daemon.metrics),
      supervisor_(daemon.io.get_executor(), measured_runner_, supervisor_settings(daemon.config),
                  &daemon.event_bus, daemon.logger->clone("health")),
      container_events_([&plugins = daemon.plugins] { return plugins.active_backend(); },
                        daemon.logger->clone("events")),
      backend_client_(daemon.plugins),
      engine_(std::make_unique<scheduler::LifecycleEngine>(
          daemon.io.get_executor(), backend_client_, supervisor_, &daemon.event_bus, daemon.registry,
          engine_settings(daemon.config), daemon.logger->clone("scheduler"))),
      task_runner_(*engine_, backend_client_, task_settings(daemon.config, *daemon.logger)),
      stats_(std::make_shared<stats::StatsCache>(daemon.io.get_executor(), *engine_, backend_client_,
                                                 std::chrono::seconds(daemon.config.stats_interval_seconds))),
      operations_(std::make_unique<manager::ManagerOperations>(*engine_, task_runner_, stats_.get())) {
    container_events_.subscribe(
        [this](const health::ContainerEvent& event) { supervisor_.on_container_event(event); });
    if (!container_events_.start()) {
        daemon.logger->warn("no backend plugin is loaded: no engine events, no containers");
    }
    record_queue_depths(daemon.metrics, *engine_);
}

void ServiceParts::sweep_task_leftovers(spdlog::logger& logger) {
    task_runner_.sweep_leftovers([&logger](const std::string& line) { logger.info("{}", line); });
}

void ServiceParts::shut_down(const config::Config& config, const registry::Registry& registry,
                             spdlog::logger& logger) {
    stats_->stop();
    if (config.shutdown_stop_services) {
        stop_all_services(*engine_, registry, std::chrono::seconds(config.shutdown_timeout_seconds), logger);
    }
    engine_.reset();  // closed: nothing of it runs while the plugins stop
    container_events_.stop();
    supervisor_.stop();
}

}  // namespace envmgr::host::runtime
