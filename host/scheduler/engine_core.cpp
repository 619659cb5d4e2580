#include "host/scheduler/engine_core.h"

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

}  // namespace

nlohmann::json status_document(const StatusEvent& event) {
    return {{"tenant", event.tenant},   {"service", event.service}, {"state", state_name(event.state)},
            {"message", event.message}, {"percent", event.percent}, {"container_id", event.container_id}};
}

EngineCore::EngineCore(const boost::asio::any_io_executor& executor, BackendClient& backend_client,
                       health::HealthSupervisor& supervisor, events::EventBus* event_bus,
                       const registry::Registry& services, EngineSettings engine_settings,
                       std::shared_ptr<spdlog::logger> log)
    : strand(boost::asio::make_strand(executor)),
      backend(backend_client),
      health(supervisor),
      bus(event_bus),
      registry(services),
      settings(engine_settings),
      logger(std::move(log)) {}

Instance& EngineCore::instance(const InstanceKey& key) {
    auto& found = instances[key];
    if (found.service == nullptr) found.service = registry.find(key.first, key.second);
    return found;
}

void EngineCore::set_state(const InstanceKey& key, ServiceState state, std::string message, int percent) {
    auto& target = instance(key);
    target.state = state;
    target.message = std::move(message);
    target.percent = percent < 0 ? percent_of(state) : percent;
    const StatusEvent event{key.first,      key.second,     state,
                            target.message, target.percent, target.container_id};
    logger->debug("{}/{}: {} {}", key.first, key.second, state_name(state), target.message);
    if (bus != nullptr) bus->publish("status", status_document(event).dump());
    boost::asio::post(strand, [self = shared_from_this(), key] {
        if (self->closed) return;
        // Listeners may listen or unlisten while told: work on a copy.
        const auto listeners = self->listeners_;
        for (const auto& [id, listener] : listeners) listener(key);
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
    const auto id = next_listener_++;
    listeners_.emplace(id, std::move(listener));
    return id;
}

void EngineCore::unlisten(std::uint64_t id) {
    listeners_.erase(id);
}

void EngineCore::watch_container(const InstanceKey& key, const std::shared_ptr<void>& self,
                                 std::function<void(const sdk::Result&)> done) {
    const std::string id = instance(key).container_id;
    backend.invoke(
        "container.inspect", {{"id", id}},
        [this, key, self, done = std::move(done)](const sdk::Result& result) {
            boost::asio::post(strand, [this, key, self, done, result] {
                if (closed) return;
                if (!result.ok()) return done(result);
                const auto inspected = nlohmann::json::parse(result.payload, nullptr, false);
                auto& running = instance(key);
                health::WatchTarget target;
                target.tenant = key.first;
                target.service = key.second;
                target.container_id = running.container_id;
                target.container_ip = inspected.value("ip_address", "");
                for (const auto& port : inspected.value("ports", nlohmann::json::array())) {
                    if (port.value("protocol", "tcp") == "tcp" && port.value("host_port", 0) != 0) {
                        target.published_ports[port.value("container_port", 0)] = {
                            port.value("host_ip", ""), port.value("host_port", 0)};
                    }
                }
                if (!running.service->definition.readiness.type.empty()) {
                    target.probes.push_back(running.service->definition.readiness);
                }
                running.started_at = inspected.value("started_at", std::int64_t{0});
                if (running.watch != 0) {
                    health.unwatch(running.watch);
                    by_watch.erase(running.watch);
                }
                running.watch = health.watch(target);
                by_watch[running.watch] = key;
                set_state(key, ServiceState::waiting_healthy, "waiting for readiness");
                done(result);
            });
        });
}

void EngineCore::on_health(const health::HealthTransition& transition) {
    boost::asio::post(strand, [this, transition] {
        if (closed) return;
        const auto found = by_watch.find(transition.watch);
        if (found == by_watch.end()) return;  // unwatched meanwhile
        const InstanceKey key = found->second;
        auto& target = instance(key);
        if (target.state == ServiceState::stopping) return;  // the stop reports the end itself
        if (transition.to == health::HealthState::ready) {
            set_state(key, ServiceState::healthy, transition.reason);
        } else if (transition.to == health::HealthState::unhealthy) {
            set_state(key, ServiceState::unhealthy, transition.reason);
        } else if (transition.to == health::HealthState::exited) {
            by_watch.erase(transition.watch);
            health.unwatch(target.watch);
            target.watch = 0;
            target.container_running = false;
            set_state(key, ServiceState::failed, transition.reason);
        }
    });
}

}  // namespace envmgr::host::scheduler
