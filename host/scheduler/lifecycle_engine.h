// The lifecycle engine: starts, stops and watches the services of every tenant (start_run.h,
// stop_run.h), adopts what already runs, and answers the status snapshot from memory. Every
// method may be called from any thread; the work happens on the engine's strand and each
// completion runs there (it must not block).
//
// Concurrent requests: a start and a stop of the same service never interleave; the later one
// waits until the earlier has settled that service (ready, failed or stopped), then does its own
// work from there. A start of a service another start is bringing up joins it: it waits for the
// same container to become ready instead of starting a second one.
#pragma once

#include "host/registry/service_overrides.h"
#include "host/scheduler/engine_core.h"
#include "host/scheduler/start_run.h"
#include "host/scheduler/stop_run.h"

#include <algorithm>
#include <memory>

namespace envmgr::host::scheduler {

struct SharedStatuses {
    std::int64_t timestamp = 0;  // unix seconds when taken
    std::vector<std::shared_ptr<const sdk::ServiceStatus>> services;
};

class LifecycleEngine {
public:
    LifecycleEngine(const boost::asio::any_io_executor& executor, BackendClient& backend,
                    health::HealthSupervisor& health, events::EventBus* bus,
                    const registry::Registry& registry, EngineSettings settings,
                    std::shared_ptr<spdlog::logger> logger);
    LifecycleEngine(const LifecycleEngine&) = delete;
    LifecycleEngine& operator=(const LifecycleEngine&) = delete;
    ~LifecycleEngine();

    void start(StartRequest request, StartRun::Progress progress, StartRun::Done done);
    void stop(StopRequest request, StopRun::Done done);
    // Lists the containers env-manager labelled, records them and watches the running ones: after
    // a restart of the daemon nothing that runs is restarted. done gets how many were found.
    void adopt(std::function<void(envmgr_status status, std::size_t found)> done);
    // Whether the configuration has this tenant. Any thread (the registry does not change).
    [[nodiscard]] bool has_tenant(const std::string& tenant) const {
        return core_->registry().tenant(tenant) != nullptr;
    }
    [[nodiscard]] bool has_service(const std::string& tenant, const std::string& service) const {
        return core_->registry().find(tenant, service) != nullptr;
    }
    // A start's overrides read against the tenant's services (INVALID naming the key). Any thread.
    [[nodiscard]] registry::ServiceOverrides overrides_for(
        const std::string& tenant, const std::map<std::string, std::string>& overrides) const {
        return registry::apply_overrides(core_->registry(), tenant, overrides);
    }
    // The images a tenant's services are created from, each once. Any thread.
    [[nodiscard]] std::vector<std::string> images_of(const std::string& tenant) const {
        std::vector<std::string> images;
        if (const auto* services = core_->registry().tenant(tenant)) {
            for (const auto& service : services->services) {
                if (std::find(images.begin(), images.end(), service.definition.image) == images.end()) {
                    images.push_back(service.definition.image);
                }
            }
        }
        return images;
    }
    // The instance's container id ("" : none exists), on the strand.
    void container_of(const std::string& tenant, const std::string& service,
                      std::function<void(std::string container_id)> done);
    // Reads the start and stop queue depths (services not begun yet); keeps the core alive, so
    // it may outlive the engine. Any thread.
    [[nodiscard]] std::function<std::pair<long, long>()> queue_depths() const {
        return [core = core_] {
            return std::pair<long, long>{core->queues().starts.load(), core->queues().stops.load()};
        };
    }
    // The start timelines of the last runs of each tenant. Any thread.
    [[nodiscard]] const timeline::TimelineBook& timelines() const { return core_->timelines(); }
    // The configuration the engine runs from. Any thread.
    [[nodiscard]] const registry::Registry& registry() const { return core_->registry(); }
    // A reloaded configuration: the runs that begin from now on take their services from it.
    void replace_registry(std::shared_ptr<const registry::Registry> next) {
        core_->replace_registry(std::move(next));
    }
    // Where the engine's own work runs: a handler posted here stops running when the engine hangs.
    [[nodiscard]] const EngineCore::Strand& strand() const { return core_->strand(); }
    // The engine's backend, for operations on one container (logs).
    [[nodiscard]] BackendClient& backend() { return core_->backend(); }
    // The status-snapshot document (status-snapshot.md) of a tenant, or of all when tenant is "".
    void snapshot(const std::string& tenant, std::function<void(sdk::StatusSnapshot)> done);
    // The same statuses, shared: each one is kept until its instance or the messages of its
    // checks change, so a snapshot after one change builds one status. A status once handed out
    // never changes (a change makes a new one), so its address says whether it is the same.
    void shared_snapshot(const std::string& tenant, std::function<void(SharedStatuses)> done);
    // Moves whenever a snapshot's content (its timestamp aside) may have changed: the instances
    // and the messages of their checks. Both counters only grow, so their sum is equal only
    // while neither moved. Any thread.
    [[nodiscard]] std::uint64_t status_version() const noexcept {
        return core_->changes() + core_->health().check_messages_version();
    }

private:
    std::shared_ptr<EngineCore> core_;
    std::uint64_t health_listener_ = 0;
};

}  // namespace envmgr::host::scheduler
