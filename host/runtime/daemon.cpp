#include "host/runtime/daemon.h"

#include "host/events/event_bus.h"
#include "host/loader/plugin_manager.h"
#include "host/loader/plugin_path.h"
#include "host/manager/manager_operations.h"
#include "host/metrics/daemon_metrics.h"
#include "host/metrics/metrics_registry.h"
#include "host/runtime/config_reload.h"
#include "host/runtime/exit_codes.h"
#include "host/runtime/io_threads.h"
#include "host/runtime/memory_trim.h"
#include "host/runtime/plugin_listing.h"
#include "host/runtime/plugin_services.h"
#include "host/runtime/reload_signal.h"
#include "host/runtime/service_lifecycle.h"
#include "host/runtime/service_parts.h"
#include "host/runtime/stop_signals.h"
#include "host/runtime/systemd_service.h"

#include <envmgr/sdk/completion.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>

namespace envmgr::host::runtime {
namespace {

constexpr int kIoThreads = 2;

// Manager operations reach the lifecycle engine once it exists (after the plugins, whose
// definitions and hooks the registry needs); until then, and again from shutdown on, they are
// refused as unavailable. close() also waits for the calls already inside to leave: a frontend
// thread that passed the gate just before it closed must not still be reading the operations
// (and the engine behind them) while the shutdown takes them apart.
class OperationsGate {
public:
    void open(manager::ManagerOperations& operations) {
        const std::lock_guard lock(mutex_);
        operations_ = &operations;
    }
    void close() {
        std::unique_lock lock(mutex_);
        operations_ = nullptr;
        // Bounded: an operation's invoke only starts work (its results come later, on the engine's
        // strand), so it leaves within moments.
        left_.wait_for(lock, std::chrono::seconds(10), [this] { return inside_ == 0; });
    }

    void offer_to(loader::HostServices& services) {
        services.manager = [this](const std::string& operation, const std::string& request_json,
                                  const envmgr_callbacks& callbacks) -> envmgr_operation_id {
            const Inside inside(*this);
            if (inside.operations == nullptr) {
                sdk::Completion(&callbacks)
                    .fail(ENVMGR_STATUS_UNAVAILABLE, "env-manager is starting up or shutting down");
                return 0;
            }
            return inside.operations->invoke(operation, request_json, callbacks);
        };
        services.manager_cancel = [this](envmgr_operation_id id) {
            const Inside inside(*this);
            if (inside.operations != nullptr) inside.operations->cancel(id);
        };
    }

private:
    // A call through the gate while it lasts (null operations: the gate was closed, nothing counted).
    struct Inside {
        explicit Inside(OperationsGate& through) : gate(through) {
            const std::lock_guard lock(gate.mutex_);
            operations = gate.operations_;
            if (operations != nullptr) ++gate.inside_;
        }
        ~Inside() {
            if (operations == nullptr) return;
            {
                const std::lock_guard lock(gate.mutex_);
                --gate.inside_;
            }
            gate.left_.notify_all();
        }
        Inside(const Inside&) = delete;
        Inside& operator=(const Inside&) = delete;
        OperationsGate& gate;
        manager::ManagerOperations* operations = nullptr;
    };

    std::mutex mutex_;
    std::condition_variable left_;
    manager::ManagerOperations* operations_ = nullptr;  // null: closed
    int inside_ = 0;                                    // calls inside: Insides alive
};

manager::DaemonInfo daemon_info(const loader::PluginManager& plugins,
                                std::chrono::steady_clock::time_point started) {
    manager::DaemonInfo info;
    info.version = ENVMGR_VERSION;
    info.started = started;
    for (const auto& record : plugins.records()) {
        if (record.accepted() && record.info) info.plugins.push_back(record.info->id);
    }
    info.plugin_listing = listing_json(plugins.records()).dump();
    return info;
}

}  // namespace

Daemon::Daemon(config::Config config, config::Environment environment, std::shared_ptr<spdlog::logger> logger)
    : config_(std::move(config)), environment_(std::move(environment)), logger_(std::move(logger)) {}

std::optional<registry::Registry> Daemon::load_plugins(loader::PluginManager& plugins) const {
    plugins.discover(loader::plugin_search_path(config_.plugin_path));
    if (const auto errors = plugins.check_settings(config_, environment_); !errors.empty()) {
        for (const auto& error : errors) logger_->critical("configuration: {}", error);
        return std::nullopt;
    }
    plugins.create_all(config_, environment_);
    auto registry = registry_from_plugins(config_, plugins);
    for (const auto& warning : registry.warnings) logger_->warn("services: {}", warning);
    if (!registry.ok()) {
        for (const auto& error : registry.errors) logger_->critical("services: {}", error.to_string());
        plugins.stop_all(std::chrono::seconds(config_.plugin_stop_timeout_seconds));
        return std::nullopt;
    }
    plugins.start_all();
    return registry;
}

int Daemon::run() {
    const auto started = std::chrono::steady_clock::now();
    IoThreads threads(kIoThreads);
    StopSignals signals(threads.io(), logger_);
    ReloadSignal reload_signal(threads.io(), logger_);  // from the start: SIGHUP never ends the daemon
    metrics::MetricsRegistry metrics;
    events::EventBus event_bus(threads.io().get_executor());  // outlives the plugins that subscribe
    metrics::add_process_collectors(metrics, ENVMGR_VERSION, &event_bus);
    metrics::StatusMetrics status_metrics(metrics, event_bus);
    SystemdService systemd(event_bus, config_.grpc_addr);
    OperationsGate gate;
    loader::HostServices services{threads.io().get_executor(), &metrics, &event_bus, {}, {}, {}};
    gate.offer_to(services);
    // The manager (which holds every plugin library) outlives the io threads: work a plugin
    // posted to the host never runs after the plugin's code is gone.
    loader::PluginManager plugins(services, logger_);
    const auto registry = load_plugins(plugins);
    if (!registry) {
        reload_signal.cancel();
        signals.cancel();
        threads.stop();
        return kExitConfigError;
    }
    ServiceParts parts({threads.io(), config_, *registry, plugins, event_bus, metrics, logger_});
    parts.operations().set_daemon_info(daemon_info(plugins, started));
    for (const auto& tenant : registry->tenants) {
        for (const auto& service : tenant.services) {
            status_metrics.known(tenant.name, service.definition.name, "stopped");
        }
    }
    adopt_running(parts.engine(), *logger_);
    parts.sweep_task_leftovers(*logger_);
    gate.open(parts.operations());
    parts.start_polling();
    MemoryTrim memory_trim(threads.io(), logger_);
    memory_trim.start();
    logger_->info(
        "env-manager ready: {} plugin(s) running, {} service(s) in {} tenant(s); grpc_addr={} "
        "metrics_addr={}",
        plugins.instance_count(), registry->service_count(), registry->tenants.size(), config_.grpc_addr,
        config_.metrics_addr);
    systemd.ready(*registry, parts.engine().strand());
    reload_signal.enable([&] {
        systemd.reloading();
        reload_configuration({config_, environment_, plugins, parts.engine(), status_metrics, *logger_});
        systemd.reloaded(parts.engine().registry());
    });

    signals.wait();
    systemd.stopping();
    reload_signal.enable({});
    gate.close();
    memory_trim.stop();
    parts.shut_down(config_, parts.engine().registry(), *logger_);
    plugins.stop_all(std::chrono::seconds(config_.plugin_stop_timeout_seconds));
    reload_signal.cancel();
    signals.cancel();
    threads.stop();
    logger_->info("env-manager stopped");
    return kExitOk;
}

}  // namespace envmgr::host::runtime
