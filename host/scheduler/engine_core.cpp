#include "host/scheduler/engine_core.h"

#include "host/scheduler/crash_recovery.h"
#include "host/scheduler/notable_events.h"
#include "host/scheduler/watch_target.h"

#include <envmgr/sdk/documents/container_document.h>

#include <boost/asio/post.hpp>

namespace envmgr::host::scheduler {
namespace {

// Where a service is on its way to ready, when nothing more precise (a pull) is known.
int percent_of(ServiceState state) {
    switch (state) {
        case ServiceState::pulling: return 5;
        case ServiceState::creating: return 20;
        case ServiceState::starting: return 40;
        case ServiceState::waiting_healthy: return 70;
        case ServiceState::restarting: return 10;
        default: return 100;
    }
}

std::string early_exit_reason(const sdk::ContainerDocument& inspected) {
    return (inspected.oom_killed ? std::string("the container was OOM-killed")
                                 : "the container exited with code " + std::to_string(inspected.exit_code)) +
           " as soon as it started";
}

}  // namespace

sdk::StatusDocument status_document(const StatusEvent& event) {
    return {event.tenant,  event.service, std::string(state_name(event.state)),
            event.message, event.percent, event.container_id};
}

EngineCore::EngineCore(const boost::asio::any_io_executor& executor, BackendClient& backend,
                       health::HealthSupervisor& health, events::EventBus* bus,
                       const registry::Registry& registry, EngineSettings settings,
                       std::shared_ptr<spdlog::logger> logger)
    : strand_(boost::asio::make_strand(executor)),
      backend_(backend),
      health_(health),
      bus_(bus),
      registry_(&registry),
      settings_(settings),
      logger_(std::move(logger)) {}

Instance& EngineCore::instance(const InstanceKey& key) {
    changes_.fetch_add(1, std::memory_order_release);
    auto& found = instances_[key];
    ++found.revision;
    if (found.service == nullptr) found.service = registry().find(key.first, key.second);
    return found;
}

void EngineCore::set_state(const InstanceKey& key, ServiceState state, std::string message, int percent) {
    auto& target = instance(key);
    target.state = state;
    target.message = std::move(message);
    target.percent = percent < 0 ? percent_of(state) : percent;
    const StatusEvent event{key.first,      key.second,     state,
                            target.message, target.percent, target.container_id};
    logger_->debug("{}/{}: {} {}", key.first, key.second, state_name(state), target.message);
    if (bus_ != nullptr) bus_->publish("status", nlohmann::json(status_document(event)).dump());
    boost::asio::post(strand_, [self = shared_from_this(), key] {
        if (self->closed_) return;
        self->listeners_.notify(key);
    });
}

void EngineCore::release(const InstanceKey& key) {
    auto& target = instance(key);
    target.busy = false;
    auto waiting = std::move(target.when_idle);
    target.when_idle.clear();
    for (auto& fn : waiting) fn();
}

void EngineCore::when_idle(const InstanceKey& key, std::function<void()> fn) {
    auto& target = instance(key);
    if (!target.busy) {
        fn();
        return;
    }
    target.when_idle.push_back(std::move(fn));
}

std::uint64_t EngineCore::listen(ChangeListener listener) {
    return listeners_.add(std::move(listener));
}

void EngineCore::unlisten(std::uint64_t id) {
    listeners_.remove(id);
}

void EngineCore::close() {
    closed_ = true;
    listeners_.clear();  // the runs they keep alive go with them
}

void EngineCore::call(const std::string& operation, const nlohmann::json& request,
                      std::shared_ptr<void> keep_alive, std::function<void(const sdk::Result&)> fn,
                      const BackendClient::Item& item) {
    backend_.invoke(
        operation, request,
        [self = shared_from_this(), keep_alive = std::move(keep_alive),
         fn = std::move(fn)](const sdk::Result& result) {
            boost::asio::post(self->strand_, [self, keep_alive, fn, result] {
                if (!self->closed_) fn(result);
            });
        },
        item);
}

void EngineCore::watch_container(const InstanceKey& key, const std::shared_ptr<void>& self,
                                 std::function<void(const sdk::Result&)> done) {
    const std::string id = instance(key).container_id;
    call(
        "container.inspect", {{"id", id}}, self,
        [this, key, done = std::move(done)](const sdk::Result& result) {
            if (!result.ok()) return done(result);
            const auto inspected =
                sdk::read_document<sdk::ContainerDocument>(result.payload).value_or(sdk::ContainerDocument{});
            auto& running = instance(key);
            // A stop that began meanwhile owns the container now (a restart is not busy).
            if (running.state == ServiceState::stopping) return done(result);
            unwatch(key);
            running.started_at = inspected.started_at;
            running.node = inspected.node;
            running.running_since = std::chrono::steady_clock::now();
            if (!inspected.running) {
                // Started, and already gone: the engine's state decides, not the start's success.
                running.container_running = false;
                decide_exit(*this, key, early_exit_reason(inspected), inspected.exit_code);
                return done(result);
            }
            running.watch = health_.watch(watch_target_of(key, running, inspected));
            by_watch_[running.watch] = key;
            const auto probe = running.service ? pending_probe(running.service->definition.readiness) : "";
            set_state(key, ServiceState::waiting_healthy,
                      probe.empty() ? "waiting for readiness" : "waiting for readiness: " + probe);
            done(result);
        });
}

void EngineCore::take_over(const InstanceKey& key) {
    auto& target = instance(key);
    if (target.restart_timer) target.restart_timer->cancel();
    target.restart_timer.reset();
    target.next_restart_at = 0;
    ++target.generation;
}

void EngineCore::unwatch(const InstanceKey& key) {
    auto& watched = instance(key);
    if (watched.watch == 0) return;
    health_.unwatch(watched.watch);
    by_watch_.erase(watched.watch);
    watched.watch = 0;
}

void EngineCore::on_health(const health::HealthTransition& transition) {
    boost::asio::post(strand_, [this, transition] {
        if (closed_) return;
        const auto found = by_watch_.find(transition.watch);
        if (found == by_watch_.end()) return;  // unwatched meanwhile
        const InstanceKey key = found->second;
        auto& target = instance(key);
        if (target.state == ServiceState::stopping) return;  // the stop reports the end itself
        if (transition.to == health::HealthState::ready) {
            set_state(key, ServiceState::healthy, transition.reason);
        } else if (transition.to == health::HealthState::unhealthy) {
            set_state(key, ServiceState::unhealthy, transition.reason);
            if (target.service != nullptr && target.service->definition.restart_on_unhealthy) {
                restart_unhealthy(*this, key, transition.reason);
            }
        } else if (transition.to == health::HealthState::exited) {
            unwatch(key);
            // An exit of a container the instance no longer has (replaced meanwhile) is old news.
            if (transition.container_id != target.container_id) return;
            target.container_running = false;
            on_container_exit(*this, key, transition.reason);
        }
    });
}

void EngineCore::notable(const std::string& level, const InstanceKey& key, const std::string& message) {
    publish_notable(*logger_, bus_, level, key, message);
}

}  // namespace envmgr::host::scheduler
