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

sdk::StatusDocument status_document(const StatusEvent& event) {
    return {event.tenant,  event.service, std::string(state_name(event.state)),
            event.message, event.percent, event.container_id};
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
    if (bus != nullptr) bus->publish("status", nlohmann::json(status_document(event)).dump());
    boost::asio::post(strand, [self = shared_from_this(), key] {
        if (self->closed) return;
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
    closed = true;
    listeners_.clear();  // the runs they keep alive go with them
}

void EngineCore::call(const std::string& operation, const nlohmann::json& request,
                      std::shared_ptr<void> keep_alive, std::function<void(const sdk::Result&)> fn,
                      const BackendClient::Item& item) {
    backend.invoke(
        operation, request,
        [self = shared_from_this(), keep_alive = std::move(keep_alive),
         fn = std::move(fn)](const sdk::Result& result) {
            boost::asio::post(self->strand, [self, keep_alive, fn, result] {
                if (!self->closed) fn(result);
            });
        },
        item);
}

void EngineCore::watch_container(const InstanceKey& key, const std::shared_ptr<void>& self,
                                 std::function<void(const sdk::Result&)> done) {
    const std::string id = instance(key).container_id;
    call("container.inspect", {{"id", id}}, self,
         [this, key, done = std::move(done)](const sdk::Result& result) {
             if (!result.ok()) return done(result);
             const auto inspected = nlohmann::json::parse(result.payload, nullptr, false);
             auto& running = instance(key);
             // A stop that began meanwhile owns the container now (a restart is not busy).
             if (running.state == ServiceState::stopping) return done(result);
             unwatch(key);
             running.started_at = inspected.value("started_at", std::int64_t{0});
             running.running_since = std::chrono::steady_clock::now();
             if (!inspected.value("running", false)) {
                 // Started, and already gone: the engine's state decides, not the start's success.
                 running.container_running = false;
                 const int code = inspected.value("exit_code", -1);
                 decide_exit(key,
                             (inspected.value("oom_killed", false)
                                  ? std::string("the container was OOM-killed")
                                  : "the container exited with code " + std::to_string(code)) +
                                 " as soon as it started",
                             code);
                 return done(result);
             }
             running.watch = health.watch(watch_target(key, running, inspected));
             by_watch[running.watch] = key;
             set_state(key, ServiceState::waiting_healthy, "waiting for readiness");
             done(result);
         });
}

health::WatchTarget EngineCore::watch_target(const InstanceKey& key, const Instance& running,
                                             const nlohmann::json& inspected) {
    health::WatchTarget target;
    target.tenant = key.first;
    target.service = key.second;
    target.container_id = running.container_id;
    target.container_ip = inspected.value("ip_address", "");
    target.started_at_ns = inspected.value("started_at_ns", std::int64_t{0});
    for (const auto& port : inspected.value("ports", nlohmann::json::array())) {
        if (port.value("protocol", "tcp") == "tcp" && port.value("host_port", 0) != 0) {
            target.published_ports[port.value("container_port", 0)] = {port.value("host_ip", ""),
                                                                       port.value("host_port", 0)};
        }
    }
    if (!running.service->definition.readiness.type.empty()) {
        target.probes.push_back(running.service->definition.readiness);
    }
    return target;
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
    health.unwatch(watched.watch);
    by_watch.erase(watched.watch);
    watched.watch = 0;
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
            if (target.service != nullptr && target.service->definition.restart_on_unhealthy) {
                restart_unhealthy(key, transition.reason);
            }
        } else if (transition.to == health::HealthState::exited) {
            unwatch(key);
            // An exit of a container the instance no longer has (replaced meanwhile) is old news.
            if (transition.container_id != target.container_id) return;
            target.container_running = false;
            on_exit(key, transition.reason);
        }
    });
}

void EngineCore::on_exit(const InstanceKey& key, const std::string& reason) {
    const std::string id = instance(key).container_id;
    call("container.inspect", {{"id", id}}, nullptr,
         [self = shared_from_this(), key, reason](const sdk::Result& result) {
             const auto inspected = nlohmann::json::parse(result.payload, nullptr, false);
             self->decide_exit(key, reason, result.ok() ? inspected.value("exit_code", -1) : -1);
         });
}

void EngineCore::decide_exit(const InstanceKey& key, const std::string& reason, int exit_code) {
    auto& ended = instance(key);
    // A stop's own ending of the container (stopping, or stopped and kept) is no exit to react to.
    if (ended.state == ServiceState::stopping || ended.state == ServiceState::stopped ||
        ended.service == nullptr) {
        return;
    }
    ended.last_exit = reason;
    const auto& definition = ended.service->definition;
    if (std::chrono::steady_clock::now() - ended.running_since >= settings.restart_stable_period) {
        ended.restarts = 0;  // it ran long enough: this is a new crash, not a loop
    }
    const auto policy = model::restart_policy_of(definition.restart_policy);
    if (exit_code == 0 && policy == model::RestartPolicy::no) {
        ended.completed = true;  // a one-shot job done: what waits for it may go on
        return set_state(key, ServiceState::stopped, "completed (exit code 0)");
    }
    if (!model::should_restart(policy, exit_code, ended.restarts, definition.restart_max_retries)) {
        std::string why = reason;
        if (policy == model::RestartPolicy::on_failure && exit_code != 0 && ended.restarts > 0) {
            why += "; gave up after " + std::to_string(ended.restarts) + " restart(s)";
        }
        if (policy != model::RestartPolicy::no) notable("error", key, "failed: " + why);
        return set_state(key, ServiceState::failed, why);
    }
    schedule_restart(key, reason);
}

void EngineCore::schedule_restart(const InstanceKey& key, const std::string& reason) {
    auto& ended = instance(key);
    const auto delay = model::restart_delay(
        ended.restarts, settings.restart_backoff_initial,
        std::chrono::duration_cast<std::chrono::milliseconds>(settings.restart_backoff_max));
    ++ended.restarts;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    ended.next_restart_at =
        std::chrono::duration_cast<std::chrono::seconds>(now + delay + std::chrono::milliseconds(999))
            .count();
    ended.restart_timer = std::make_shared<boost::asio::steady_timer>(strand, delay);
    ended.restart_timer->async_wait([self = shared_from_this(), key](boost::system::error_code ec) {
        if (!ec && !self->closed) self->restart(key);
    });
    const std::string message = reason + "; restart " + std::to_string(ended.restarts) + " in " +
                                std::to_string(delay.count()) + " ms";
    notable("warn", key, message);
    set_state(key, ServiceState::restarting, message);
}

void EngineCore::restart_unhealthy(const InstanceKey& key, const std::string& reason) {
    auto& sick = instance(key);
    const auto& definition = sick.service->definition;
    if (std::chrono::steady_clock::now() - sick.running_since >= settings.restart_stable_period) {
        sick.restarts = 0;  // it ran well long enough: a new failure, not a loop
    }
    // Counted as a failed exit would be: on-failure's limit applies, "no" never restarts.
    const auto policy = model::restart_policy_of(definition.restart_policy);
    if (!model::should_restart(policy, 1, sick.restarts, definition.restart_max_retries)) {
        notable("warn", key,
                "unhealthy and not restarted: " + reason + " (restart_policy " +
                    std::string(model::restart_policy_name(policy)) +
                    (sick.restarts > 0 ? ", " + std::to_string(sick.restarts) + " restart(s) made" : "") +
                    ")");
        return;
    }
    unwatch(key);
    const std::string why = "unhealthy: " + reason;
    set_state(key, ServiceState::restarting, why + "; stopping the container to restart it");
    call("container.stop", {{"id", sick.container_id}, {"timeout_seconds", definition.stop_timeout_seconds}},
         nullptr, [self = shared_from_this(), key, why](const sdk::Result& result) {
             auto& stopped = self->instance(key);
             if (stopped.state != ServiceState::restarting) return;  // a stop or start took over
             if (!result.ok()) {
                 return self->set_state(key, ServiceState::unhealthy,
                                        why + "; cannot stop it: " + result.payload);
             }
             stopped.container_running = false;
             self->schedule_restart(key, why);
         });
}

void EngineCore::notable(const std::string& level, const InstanceKey& key, const std::string& message) {
    if (level == "error") {
        logger->error("{}/{}: {}", key.first, key.second, message);
    } else if (level == "warn") {
        logger->warn("{}/{}: {}", key.first, key.second, message);
    } else {
        logger->info("{}/{}: {}", key.first, key.second, message);
    }
    if (bus == nullptr) return;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    bus->publish("log", nlohmann::json{{"level", level},
                                       {"tenant", key.first},
                                       {"service", key.second},
                                       {"message", message},
                                       {"timestamp_ms",
                                        std::chrono::duration_cast<std::chrono::milliseconds>(now).count()}}
                            .dump());
}

void EngineCore::restart(const InstanceKey& key) {
    auto& target = instance(key);
    if (target.state != ServiceState::restarting) return;  // stopped or started meanwhile
    target.next_restart_at = 0;
    const auto generation = ++target.generation;
    set_state(key, ServiceState::starting, "restart " + std::to_string(target.restarts));
    call("container.start", {{"id", target.container_id}}, nullptr,
         [self = shared_from_this(), key, generation](const sdk::Result& result) {
             const auto& now = self->instance(key);
             if (now.generation != generation || now.state != ServiceState::starting) return;
             if (!result.ok()) {
                 return self->on_exit(key, "the restart failed: " + result.payload);
             }
             auto& restarted = self->instance(key);
             restarted.container_running = true;
             restarted.running_since = std::chrono::steady_clock::now();
             self->watch_container(key, nullptr, [self, key](const sdk::Result& inspected) {
                 if (!inspected.ok()) {
                     self->set_state(key, ServiceState::failed, "cannot inspect: " + inspected.payload);
                 }
             });
         });
}

}  // namespace envmgr::host::scheduler
