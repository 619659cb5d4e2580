// What the lifecycle engine's runs share: the instances of every tenant's services, the
// engine's strand (every instance changes there, so state changes never interleave), the
// backend, the health supervisor and the event bus. Not thread-safe: used on the strand only.
#pragma once

#include "host/events/event_bus.h"
#include "host/health/health_supervisor.h"
#include "host/model/listener_set.h"
#include "host/model/restart_policy.h"
#include "host/model/service_state.h"
#include "host/registry/service_registry.h"
#include "host/scheduler/backend_client.h"
#include "host/timeline/timeline_book.h"

#include <envmgr/sdk/documents/manager_documents.h>
#include <envmgr/sdk/documents/status_snapshot.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <spdlog/logger.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace envmgr::host::scheduler {

// A service's state is the model's (metrics and stats read it too); state_name, is_running and
// container_runs are found through it by argument-dependent lookup.
using model::ServiceState;

using InstanceKey = std::pair<std::string, std::string>;  // tenant, service

struct Instance {
    const registry::EffectiveService* service = nullptr;  // null: an orphan (no longer configured)
    // A start's overrides: what `service` points to while its container runs from them.
    std::shared_ptr<const registry::EffectiveService> service_override;
    ServiceState state = ServiceState::stopped;
    std::string message;
    int percent = 0;             // of the way to ready, as last published
    std::string container_id;    // "" : none exists
    std::string container_hash;  // its env-manager.definition-hash label
    bool container_running = false;
    // The engine's word for it when last listed: "dead" and "removing" are on their way out (a
    // removal the engine failed or has not finished) and cannot be started again.
    std::string container_state;
    bool completed = false;  // a one-shot job that exited 0
    std::int64_t started_at = 0;
    std::string node;         // where the container runs, as the backend's inspect said
    std::uint64_t watch = 0;  // health watch, 0: not watched
    bool busy = false;        // a start or stop is working on it
    std::vector<std::function<void()>> when_idle;
    // Restarts env-manager carries out itself (the engine's own policy stays "no").
    int restarts = 0;                                     // since the last stable run
    std::chrono::steady_clock::time_point running_since;  // of the current container process
    std::int64_t next_restart_at = 0;                     // unix seconds; 0: none pending
    std::shared_ptr<boost::asio::steady_timer> restart_timer;
    std::string last_exit;  // how its container last ended, as the restart policy saw it
    // Bumped by every start, restart and stop of the container: a callback of an earlier one
    // that arrives after a later one began does nothing.
    std::uint64_t generation = 0;
    // Moves with every change (EngineCore::instance hands the instance out only so).
    std::uint64_t revision = 0;
    // The status a snapshot last built of it, current while the revision (which also moves when
    // the watch does) and the messages of its checks read as they did then. A cache beside the
    // instance's content: the snapshot, which sees the instances as const, keeps it (on the strand).
    struct KeptStatus {
        std::shared_ptr<const sdk::ServiceStatus> status;
        std::uint64_t revision = 0;
        std::shared_ptr<const std::atomic<std::uint64_t>> check_messages;  // the watch's counter
        std::uint64_t check_messages_read = 0;                             // what it said then
    };
    mutable KeptStatus kept_status;
};

struct EngineSettings {
    std::size_t max_concurrent_starts = 5;  // services being created and started at once
    // Create every waiting service's container as soon as its image is there (start_run.h).
    bool precreate_containers = true;
    std::chrono::seconds health_timeout{60};
    // Restart back-off, as kubelet's CrashLoopBackOff: 1 s doubling to the cap; a container that
    // ran for the stable period before it exited starts the count again.
    std::chrono::milliseconds restart_backoff_initial{1000};
    std::chrono::seconds restart_backoff_max{300};
    std::chrono::seconds restart_stable_period{600};
};

// A state change, as the `status` topic and a start's progress carry it.
struct StatusEvent {
    std::string tenant;
    std::string service;
    ServiceState state = ServiceState::stopped;
    std::string message;
    int percent = 0;
    std::string container_id;
};
sdk::StatusDocument status_document(const StatusEvent& event);

class EngineCore : public std::enable_shared_from_this<EngineCore> {
public:
    using ChangeListener = std::function<void(const InstanceKey& key)>;
    using Strand = boost::asio::strand<boost::asio::any_io_executor>;
    // Services starts and stops have yet to begin on (the queue depths of the metrics). Read
    // from any thread.
    struct QueueDepths {
        std::atomic<long> starts{0};
        std::atomic<long> stops{0};
    };

    EngineCore(const boost::asio::any_io_executor& executor, BackendClient& backend,
               health::HealthSupervisor& health, events::EventBus* bus, const registry::Registry& registry,
               EngineSettings settings, std::shared_ptr<spdlog::logger> logger);

    [[nodiscard]] const Strand& strand() const noexcept { return strand_; }
    // For a call outside the engine's state (a log stream, a ping); the engine's own go through call().
    [[nodiscard]] BackendClient& backend() const noexcept { return backend_; }
    [[nodiscard]] health::HealthSupervisor& health() const noexcept { return health_; }
    [[nodiscard]] events::EventBus* bus() const noexcept { return bus_; }
    // The start timelines of the last runs (any thread).
    [[nodiscard]] timeline::TimelineBook& timelines() noexcept { return timelines_; }
    // The configuration runs take their services from: the one the engine began with, or the last
    // one replace_registry() gave it. Any thread; the reference stays valid until the engine
    // goes (a replaced registry is kept: instances and runs in flight point into it).
    [[nodiscard]] const registry::Registry& registry() const {
        const std::lock_guard lock(registry_mutex_);
        return *registry_;
    }
    // A reloaded configuration (SIGHUP): runs that begin from now on take their services from it.
    void replace_registry(std::shared_ptr<const registry::Registry> next) {
        const std::lock_guard lock(registry_mutex_);
        registry_ = next.get();
        reloaded_.push_back(std::move(next));
    }
    [[nodiscard]] const EngineSettings& settings() const noexcept { return settings_; }
    [[nodiscard]] spdlog::logger& logger() const noexcept { return *logger_; }
    [[nodiscard]] QueueDepths& queues() noexcept { return queues_; }
    // Set on the strand when the engine goes: every handler that runs later does nothing, so no
    // completion arriving after that touches the backend, the supervisor or the registry.
    [[nodiscard]] bool closed() const noexcept { return closed_; }

    // The instances: every one ever asked for, by tenant and service.
    [[nodiscard]] const std::map<InstanceKey, Instance>& instances() const noexcept { return instances_; }
    // The instance (made on first use, with its service's definition if it is configured). Every
    // change to an instance goes through here, so each call moves changes() first.
    Instance& instance(const InstanceKey& key);
    // Moves (before) whenever an instance may change: a status built at one value stays true
    // while it reads the same. Any thread.
    [[nodiscard]] std::uint64_t changes() const noexcept { return changes_.load(std::memory_order_acquire); }
    // Records the state, publishes it on `status` and tells every change listener: later, on the
    // strand, never from inside this call (a listener's reaction cannot nest in its cause).
    void set_state(const InstanceKey& key, ServiceState state, std::string message, int percent = -1);
    // Marks the instance idle and runs what waited for that.
    void release(const InstanceKey& key);
    // Runs fn on the strand once the instance is idle (at once when it is).
    void when_idle(const InstanceKey& key, std::function<void()> fn);

    std::uint64_t listen(ChangeListener listener);
    void unlisten(std::uint64_t id);
    // Sets closed and drops the listeners (and the unfinished runs they keep alive).
    void close();

    // Runs a backend operation; fn(result) runs on the strand, unless the engine has closed by
    // then. keep_alive (the caller) and the core live until fn has run.
    void call(const std::string& operation, const nlohmann::json& request, std::shared_ptr<void> keep_alive,
              std::function<void(const sdk::Result&)> fn, const BackendClient::Item& item = {});

    // Inspects the instance's container and puts it under the health supervisor (state
    // waiting-healthy); done(result of the inspect) on the strand. self keeps the caller alive
    // until then. A container the engine says has already ended is not watched: its exit is
    // decided at once (crash_recovery.h), so a process that exits the instant it starts is never
    // taken for running.
    void watch_container(const InstanceKey& key, const std::shared_ptr<void>& self,
                         std::function<void(const sdk::Result&)> done);

    // Health transitions (from the supervisor, on any thread) move the instance's state.
    void on_health(const health::HealthTransition& transition);
    // Ends the instance's health watch, if any: what env-manager does to the container next (a
    // stop, a recreate) is not an exit to react to.
    void unwatch(const InstanceKey& key);
    // A start or stop takes the instance over: a pending restart is off, a restart in flight is
    // disowned (its callbacks see a newer generation).
    void take_over(const InstanceKey& key);

    // A notable event of the host: logged and published on `log` (events.md).
    void notable(const std::string& level, const InstanceKey& key, const std::string& message);

private:
    Strand strand_;
    BackendClient& backend_;
    health::HealthSupervisor& health_;
    events::EventBus* bus_;
    timeline::TimelineBook timelines_;
    mutable std::mutex registry_mutex_;
    const registry::Registry* registry_;
    std::vector<std::shared_ptr<const registry::Registry>> reloaded_;  // every one replace_registry() got
    EngineSettings settings_;
    std::shared_ptr<spdlog::logger> logger_;
    std::map<InstanceKey, Instance> instances_;
    std::atomic<std::uint64_t> changes_{0};
    std::map<std::uint64_t, InstanceKey> by_watch_;
    bool closed_ = false;
    QueueDepths queues_;
    model::ListenerSet<InstanceKey> listeners_;
};

}  // namespace envmgr::host::scheduler
