#include "host/runtime/daemon.h"

#include "host/runtime/exit_codes.h"

#include "host/events/event_bus.h"
#include "host/health/container_events.h"
#include "host/health/health_supervisor.h"
#include "host/health/measured_probe_runner.h"
#include "host/health/plugin_probe_runner.h"
#include "host/loader/plugin_manager.h"
#include "host/loader/plugin_path.h"
#include "host/manager/manager_operations.h"
#include "host/metrics/daemon_metrics.h"
#include "host/metrics/metrics_registry.h"
#include "host/runtime/plugin_services.h"
#include "host/runtime/service_lifecycle.h"
#include "host/scheduler/plugin_backend_client.h"
#include "host/stats/stats_cache.h"
#include "host/tasks/host_figures.h"
#include "host/tasks/task_runner.h"

#include <envmgr/sdk/completion.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdlib>
#include <future>
#include <thread>
#include <vector>

namespace envmgr::host::runtime {
namespace {

constexpr int kIoThreads = 2;

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

}  // namespace

Daemon::Daemon(config::Config config, config::Environment environment, std::shared_ptr<spdlog::logger> logger)
    : config_(std::move(config)), environment_(std::move(environment)), logger_(std::move(logger)) {}

int Daemon::run() {
    const auto started = std::chrono::steady_clock::now();
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);

    std::promise<int> stop_requested;
    auto stop_signal = stop_requested.get_future();
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    int signals_seen = 0;
    std::function<void(const boost::system::error_code&, int)> on_signal =
        [&](const boost::system::error_code& ec, int signo) {
            if (ec) return;
            if (++signals_seen == 1) {
                logger_->info("received signal {}; shutting down (send it again to force)", signo);
                stop_requested.set_value(signo);
                signals.async_wait(on_signal);
                return;
            }
            logger_->warn("received signal {} again; exiting at once", signo);
            logger_->flush();
            std::_Exit(128 + signo);
        };
    signals.async_wait(on_signal);

    std::vector<std::thread> threads;
    threads.reserve(kIoThreads);
    for (int i = 0; i < kIoThreads; ++i) threads.emplace_back([&io] { io.run(); });

    metrics::MetricsRegistry metrics;
    events::EventBus event_bus(io.get_executor());  // outlives the plugins that subscribe to it
    loader::HostServices services;
    services.executor = io.get_executor();
    services.metrics = &metrics;
    services.event_bus = &event_bus;
    metrics::add_process_collectors(metrics, ENVMGR_VERSION, &event_bus);
    metrics::StatusMetrics status_metrics(metrics, event_bus);
    // Manager operations reach the lifecycle engine once it exists (after the plugins, whose
    // definitions and hooks the registry needs); until then they are refused as unavailable.
    std::atomic<manager::ManagerOperations*> operations{nullptr};
    services.manager = [&operations](const std::string& operation, const std::string& request_json,
                                     const envmgr_callbacks& callbacks) -> envmgr_operation_id {
        if (auto* ready = operations.load()) return ready->invoke(operation, request_json, callbacks);
        sdk::Completion(&callbacks)
            .fail(ENVMGR_STATUS_UNAVAILABLE, "env-manager is starting up or shutting down");
        return 0;
    };
    services.manager_cancel = [&operations](envmgr_operation_id id) {
        if (auto* ready = operations.load()) ready->cancel(id);
    };
    // The manager (which holds every plugin library) outlives the io threads: work a plugin
    // posted to the host never runs after the plugin's code is gone.
    loader::PluginManager manager(services, logger_);
    const auto stop_io = [&] {
        work.reset();
        signals.cancel();
        io.stop();
        for (auto& thread : threads) thread.join();
    };
    manager.discover(loader::plugin_search_path(config_.plugin_path));
    if (const auto errors = manager.check_settings(config_, environment_); !errors.empty()) {
        for (const auto& error : errors) logger_->critical("configuration: {}", error);
        stop_io();
        return kExitConfigError;
    }
    manager.create_all(config_, environment_);
    const auto registry = registry_from_plugins(config_, manager);
    for (const auto& warning : registry.warnings) logger_->warn("services: {}", warning);
    if (!registry.ok()) {
        for (const auto& error : registry.errors) logger_->critical("services: {}", error.to_string());
        manager.stop_all(std::chrono::seconds(config_.plugin_stop_timeout_seconds));
        stop_io();
        return kExitConfigError;
    }
    manager.start_all();

    // Health: probes run on the probe plugins; the engine's events reach the supervisor through
    // one stream for the whole daemon.
    health::PluginProbeRunner probe_runner(
        [&manager](const std::string& type) { return manager.probe_for(type); });
    health::MeasuredProbeRunner measured_runner(probe_runner, metrics);
    health::HealthSupervisor supervisor(io.get_executor(), measured_runner, supervisor_settings(config_),
                                        &event_bus, logger_->clone("health"));
    health::ContainerEvents container_events([&manager] { return manager.active_backend(); },
                                             logger_->clone("events"));
    container_events.subscribe(
        [&supervisor](const health::ContainerEvent& event) { supervisor.on_container_event(event); });
    if (!container_events.start()) {
        logger_->warn("no backend plugin is loaded: no engine events, no containers");
    }
    scheduler::PluginBackendClient backend_client([&manager] { return manager.active_backend(); });
    auto engine = std::make_unique<scheduler::LifecycleEngine>(io.get_executor(), backend_client, supervisor,
                                                               &event_bus, registry, engine_settings(config_),
                                                               logger_->clone("scheduler"));
    metrics.add_collector([depths = engine->queue_depths()](metrics::MetricsRegistry& target) {
        const auto [starts, stops] = depths();
        target.record(ENVMGR_METRIC_KIND_GAUGE_SET, "envmgr_start_queue_depth",
                      "Services that starts have yet to begin on", {}, static_cast<double>(starts));
        target.record(ENVMGR_METRIC_KIND_GAUGE_SET, "envmgr_stop_queue_depth",
                      "Services that stops have yet to begin on", {}, static_cast<double>(stops));
    });
    tasks::TaskRunner task_runner(*engine, backend_client, task_settings(config_, *logger_));
    auto stats_cache = std::make_shared<stats::StatsCache>(
        io.get_executor(), *engine, backend_client, std::chrono::seconds(config_.stats_interval_seconds));
    auto manager_operations =
        std::make_unique<manager::ManagerOperations>(*engine, task_runner, stats_cache.get());
    manager::DaemonInfo daemon_info;
    daemon_info.version = ENVMGR_VERSION;
    daemon_info.started = started;
    for (const auto& record : manager.records()) {
        if (record.accepted() && record.info) daemon_info.plugins.push_back(record.info->id);
    }
    manager_operations->set_daemon_info(std::move(daemon_info));
    for (const auto& tenant : registry.tenants) {
        for (const auto& service : tenant.services) {
            status_metrics.known(tenant.name, service.definition.name, "stopped");
        }
    }
    adopt_running(*engine, *logger_);
    task_runner.sweep_leftovers([this](const std::string& line) { logger_->info("{}", line); });
    operations.store(manager_operations.get());
    stats_cache->start();
    logger_->info(
        "env-manager ready: {} plugin(s) running, {} service(s) in {} tenant(s); grpc_addr={} "
        "metrics_addr={}",
        manager.instance_count(), registry.service_count(), registry.tenants.size(), config_.grpc_addr,
        config_.metrics_addr);

    stop_signal.wait();
    operations.store(nullptr);
    stats_cache->stop();
    if (config_.shutdown_stop_services) {
        stop_all_services(*engine, registry, std::chrono::seconds(config_.shutdown_timeout_seconds),
                          *logger_);
    }
    engine.reset();  // closed: nothing of it runs while the plugins stop
    container_events.stop();
    supervisor.stop();
    manager.stop_all(std::chrono::seconds(config_.plugin_stop_timeout_seconds));
    stop_io();
    logger_->info("env-manager stopped");
    return kExitOk;
}

}  // namespace envmgr::host::runtime
