#include "host/health/watched_instance.h"

#include "host/health/health_supervisor.h"
#include "host/health/readiness_rule.h"

#include <boost/asio/bind_executor.hpp>

#include <chrono>

namespace envmgr::host::health {
namespace {

// A container without a probe that has run this much longer than the settle period (by the
// engine's start time) is taken as settled: an adopted one. Wide, so a clock skew between the
// daemon and a remote engine cannot make a fresh start look settled.
constexpr Millis kLongRunning{10000};

}  // namespace

WatchedInstance::WatchedInstance(std::weak_ptr<SupervisorShared> shared, std::uint64_t watch_id,
                                 WatchTarget watched, Strand strand)
    : shared_(std::move(shared)),
      id_(watch_id),
      target_(std::move(watched)),
      strand_(std::move(strand)),
      settle_timer_(strand_) {
    status_.has_probes = !target_.probes.empty();
    status_.since = Clock::now();
}

HealthStatus WatchedInstance::status() const {
    const std::lock_guard lock(status_mutex_);
    return status_;
}

HealthState WatchedInstance::current_state() const {
    const std::lock_guard lock(status_mutex_);
    return status_.state;
}

void WatchedInstance::begin() {
    const auto shared = shared_.lock();
    if (stopped_ || !shared) return;  // it exited before the watch began
    if (target_.probes.empty()) {
        settle_without_probe(shared->settings.no_probe_ready_after);
        return;
    }
    for (const auto& probe : target_.probes) {
        probes_.push_back(std::make_shared<ProbeLoop>(
            strand_, shared_, HealthSupervisor::check_spec(probe, target_, shared->settings.probe_address),
            ProbeSchedule(HealthSupervisor::timings_for(probe, shared->settings.defaults), target_.started),
            [weak = weak_from_this()](const ProbeLoop& loop, const sdk::ProbeResult& result, bool changed) {
                if (const auto self = weak.lock()) self->on_answer(loop, result, changed);
            }));
    }
    for (const auto& probe : probes_) probe->start();
}

// An adopted container that has long been running is ready at once; otherwise the settle period
// counts from now (the engine's clock may differ from ours).
void WatchedInstance::settle_without_probe(Millis settle) {
    const bool long_running = ran_for() > settle + kLongRunning;
    settle_timer_.expires_at(long_running ? Clock::now() : target_.started + settle);
    settle_timer_.async_wait(boost::asio::bind_executor(
        strand_, [self = shared_from_this(), settle](boost::system::error_code ec) {
            if (ec || self->stopped_) return;
            self->set_state(HealthState::ready, "ready",
                            "running for " + std::to_string(settle.count()) + " ms, no probe", "");
        }));
}

// How long the container has run by the engine's start time (an adopted one: maybe long).
Millis WatchedInstance::ran_for() const {
    if (target_.started_at_ns <= 0) return Millis(0);
    const auto ran = std::chrono::duration_cast<Millis>(std::chrono::system_clock::now().time_since_epoch() -
                                                        std::chrono::nanoseconds(target_.started_at_ns));
    return std::max(ran, Millis(0));
}

void WatchedInstance::on_answer(const ProbeLoop& probe, const sdk::ProbeResult& result, bool changed) {
    bool message_moved = false;
    {
        const std::lock_guard lock(status_mutex_);
        const auto [last, added] = status_.checks.try_emplace(probe.name(), result);
        message_moved = added || last->second.message != result.message;
        if (!added) last->second = result;
    }
    if (message_moved) {
        messages_version_->fetch_add(1, std::memory_order_release);
        if (const auto shared = shared_.lock()) {
            shared->check_messages.fetch_add(1, std::memory_order_release);
        }
    }
    if (!changed || stopped_) return;
    std::vector<ProbeSchedule::State> states;
    states.reserve(probes_.size());
    for (const auto& each : probes_) states.push_back(each->state());
    if (const auto verdict = decide_health(states, current_state())) {
        set_state(verdict->to, verdict->kind, result.message, probe.name());
    }
}

void WatchedInstance::set_state(HealthState to, std::string_view kind, const std::string& reason,
                                const std::string& probe_name) {
    const auto shared = shared_.lock();
    if (!shared) return;
    HealthTransition transition{
        id_, target_.tenant,    target_.service, target_.container_id, HealthState::waiting,
        to,  std::string(kind), reason,          probe_name,           Clock::now()};
    {
        const std::lock_guard lock(status_mutex_);
        transition.from = status_.state;
        status_.state = to;
        status_.reason = reason;
        status_.since = transition.at;
    }
    shared->publisher.publish(transition);
}

void WatchedInstance::halt() {
    stopped_ = true;
    settle_timer_.cancel();
    for (const auto& probe : probes_) probe->stop();
}

void WatchedInstance::on_event(const ContainerEvent& event) {
    // The engine's stream replays events after a reconnect: one of an earlier run of this
    // container is not about this run.
    if (target_.started_at_ns > 0 && event.time_nano > 0 && event.time_nano < target_.started_at_ns) return;
    if (event.action == "oom") {
        oom_ = true;
        return;
    }
    const bool ends_run = event.action == "die" || event.action == "destroy";
    if (!ends_run || current_state() == HealthState::exited) return;
    halt();
    std::string reason = "the container was removed";
    if (event.action == "die") {
        reason = oom_ ? "the container was OOM-killed" : "the container exited";
        if (event.exit_code) reason += " with code " + std::to_string(*event.exit_code);
    }
    set_state(HealthState::exited, "exited", reason, "");
}

}  // namespace envmgr::host::health
