#include "host/scheduler/lifecycle_engine.h"

#include <envmgr/sdk/documents/container_document.h>

#include <boost/asio/post.hpp>

#include <chrono>
#include <future>

namespace envmgr::host::scheduler {
namespace {

sdk::ServiceStatus instance_status(const InstanceKey& key, const Instance& instance,
                                   const health::HealthSupervisor& health);

// The instance's kept status, built again only when it or its checks' messages moved. The
// messages' version is read before the messages, so a status is never kept as newer than it is.
std::shared_ptr<const sdk::ServiceStatus> kept_status(const InstanceKey& key, const Instance& instance,
                                                      const health::HealthSupervisor& health) {
    auto& kept = instance.kept_status;
    if (kept.status != nullptr && kept.revision == instance.revision &&
        (kept.check_messages == nullptr ||
         kept.check_messages->load(std::memory_order_acquire) == kept.check_messages_read)) {
        return kept.status;
    }
    auto counter = instance.watch != 0 ? health.check_messages_version(instance.watch) : nullptr;
    const std::uint64_t read = counter != nullptr ? counter->load(std::memory_order_acquire) : 0;
    kept = {std::make_shared<const sdk::ServiceStatus>(instance_status(key, instance, health)),
            instance.revision, std::move(counter), read};
    return kept.status;
}

sdk::ServiceStatus instance_status(const InstanceKey& key, const Instance& instance,
                                   const health::HealthSupervisor& health) {
    sdk::ServiceStatus status;
    status.name = key.second;
    status.tenant = key.first;
    status.state =
        instance.service == nullptr ? std::string("stopped") : std::string(state_name(instance.state));
    status.healthy = instance.state == ServiceState::healthy;
    status.container_id = instance.container_id;
    if (instance.service != nullptr) {
        for (const auto& port : instance.service->definition.ports) {
            if (port.host_port != 0) status.ports.push_back(port.host_port);
        }
    }
    const bool running = instance.container_running && !instance.container_id.empty();
    status.started_at = running ? instance.started_at : 0;
    status.node = running ? instance.node : "";
    status.message = instance.service == nullptr ? "orphan: this service is no longer in the configuration"
                                                 : instance.message;
    if (instance.watch != 0) {
        if (const auto checks = health.status(instance.watch)) {
            for (const auto& [name, result] : checks->checks) status.health_checks[name] = result.message;
        }
    }
    status.restart_count = instance.restarts;
    status.next_restart_at = instance.next_restart_at;
    return status;
}

}  // namespace

LifecycleEngine::LifecycleEngine(const boost::asio::any_io_executor& executor, BackendClient& backend,
                                 health::HealthSupervisor& health, events::EventBus* bus,
                                 const registry::Registry& registry, EngineSettings settings,
                                 std::shared_ptr<spdlog::logger> logger)
    : core_(std::make_shared<EngineCore>(executor, backend, health, bus, registry, settings,
                                         std::move(logger))) {
    // Every configured service is known (stopped) before anything happens.
    for (const auto& tenant : registry.tenants) {
        for (const auto& service : tenant.services) core_->instance({tenant.name, service.definition.name});
    }
    health_listener_ = health.subscribe(
        [core = core_](const health::HealthTransition& transition) { core->on_health(transition); });
}

LifecycleEngine::~LifecycleEngine() {
    core_->health().unsubscribe(health_listener_);
    // Close on the strand, so no handler is running when this returns; bounded, as the executor
    // may already be stopped (then nothing runs at all).
    auto closed = std::make_shared<std::promise<void>>();
    boost::asio::post(core_->strand(), [core = core_, closed] {
        core->close();
        closed->set_value();
    });
    if (closed->get_future().wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
        core_->close();  // the executor is not running: nothing else touches the core
    }
}

void LifecycleEngine::start(StartRequest request, StartRun::Progress progress, StartRun::Done done) {
    auto run = std::make_shared<StartRun>(core_, std::move(request), std::move(progress), std::move(done));
    boost::asio::post(core_->strand(), [run, core = core_] {
        if (!core->closed()) run->begin();
    });
}

void LifecycleEngine::stop(StopRequest request, StopRun::Done done) {
    auto run = std::make_shared<StopRun>(core_, std::move(request), std::move(done));
    boost::asio::post(core_->strand(), [run, core = core_] {
        if (!core->closed()) run->begin();
    });
}

void LifecycleEngine::snapshot(const std::string& tenant, std::function<void(sdk::StatusSnapshot)> done) {
    shared_snapshot(tenant, [done = std::move(done)](const SharedStatuses& shared) {
        sdk::StatusSnapshot snapshot;
        snapshot.timestamp = shared.timestamp;
        snapshot.services.reserve(shared.services.size());
        for (const auto& status : shared.services) snapshot.services.push_back(*status);
        done(std::move(snapshot));
    });
}

void LifecycleEngine::shared_snapshot(const std::string& tenant, std::function<void(SharedStatuses)> done) {
    boost::asio::post(core_->strand(), [core = core_, tenant, done = std::move(done)] {
        SharedStatuses snapshot;
        snapshot.services.reserve(core->instances().size());
        for (const auto& [key, instance] : core->instances()) {
            if (tenant.empty() || key.first == tenant) {
                snapshot.services.push_back(kept_status(key, instance, core->health()));
            }
        }
        const auto now = std::chrono::system_clock::now().time_since_epoch();
        snapshot.timestamp = std::chrono::duration_cast<std::chrono::seconds>(now).count();
        done(std::move(snapshot));
    });
}

void LifecycleEngine::container_of(const std::string& tenant, const std::string& service,
                                   std::function<void(std::string container_id)> done) {
    boost::asio::post(core_->strand(),
                      [core = core_, key = InstanceKey{tenant, service}, done = std::move(done)] {
                          const auto found = core->instances().find(key);
                          done(found == core->instances().end() ? std::string() : found->second.container_id);
                      });
}

void LifecycleEngine::adopt(std::function<void(envmgr_status, std::size_t)> done) {
    auto core = core_;
    core->call(
        "container.list", {{"labels", {{registry::kTenantLabel, ""}}}, {"all", true}}, nullptr,
        [core, done = std::move(done)](const sdk::Result& result) {
            if (!result.ok()) return done(result.status, 0);
            const auto listing =
                sdk::read_document<sdk::ContainerList>(result.payload).value_or(sdk::ContainerList{});
            std::size_t found = 0;
            for (const auto& container : listing.containers) {
                const InstanceKey key{container.label(registry::kTenantLabel),
                                      container.label(registry::kServiceLabel)};
                if (key.first.empty() || key.second.empty()) continue;
                ++found;
                auto& instance = core->instance(key);
                instance.container_id = container.id;
                instance.container_hash = container.label(registry::kDefinitionHashLabel);
                instance.container_state = container.state;
                instance.container_running = instance.container_state == "running";
                if (instance.service == nullptr) {
                    core->logger().warn(
                        "container {} of {}/{} is an orphan: the service is no longer configured",
                        instance.container_id, key.first, key.second);
                    continue;
                }
                if (!instance.container_running) {
                    core->set_state(key, ServiceState::stopped, "adopted: the container exists, stopped");
                    continue;
                }
                // Running: watched again from its probes, not restarted (a changed definition
                // is recreated by the next start, not behind the operator's back).
                core->watch_container(key, nullptr, [core, key](const sdk::Result& inspected) {
                    if (!inspected.ok()) {
                        core->set_state(key, ServiceState::failed, "cannot inspect: " + inspected.payload);
                    }
                });
            }
            done(ENVMGR_STATUS_OK, found);
        });
}

}  // namespace envmgr::host::scheduler
