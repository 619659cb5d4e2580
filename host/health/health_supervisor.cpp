#include "host/health/health_supervisor.h"

#include "host/model/listener_set.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>

namespace envmgr::host::health {
namespace {

using Strand = boost::asio::strand<boost::asio::any_io_executor>;

// How long past a probe's own timeout the supervisor waits before it gives up on the check.
constexpr Millis kProbeGrace{1000};
// A container without a probe that has run this much longer than the settle period (by the
// engine's start time) is taken as settled: an adopted one. Wide, so a clock skew between the
// daemon and a remote engine cannot make a fresh start look settled.
constexpr Millis kLongRunning{10000};

std::int64_t unix_ms_now() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

struct HealthSupervisor::Core {
    boost::asio::any_io_executor executor;
    ProbeRunner& runner;
    SupervisorSettings settings;
    events::EventBus* bus;
    std::shared_ptr<spdlog::logger> logger;
    CheckLimiter limiter;
    RecentExits recent_exits;

    mutable std::mutex mutex;
    std::map<std::uint64_t, std::shared_ptr<Instance>> instances;
    std::map<std::string, std::uint64_t> by_container;
    model::ListenerSet<HealthTransition> listeners;
    std::uint64_t next_id = 1;
    bool stopped = false;

    Core(boost::asio::any_io_executor ex, ProbeRunner& probe_runner, SupervisorSettings s,
         events::EventBus* event_bus, std::shared_ptr<spdlog::logger> log)
        : executor(std::move(ex)),
          runner(probe_runner),
          settings(std::move(s)),
          bus(event_bus),
          logger(std::move(log)),
          limiter(settings.max_concurrent_checks) {}

    void publish(const HealthTransition& transition) {
        {
            const std::lock_guard lock(mutex);
            if (stopped) return;
        }
        listeners.notify(transition);
        if (bus != nullptr) bus->publish("health", health_event_document(transition, unix_ms_now()));
    }
};

struct HealthSupervisor::Instance : std::enable_shared_from_this<HealthSupervisor::Instance> {
    struct Probe {
        Probe(const Strand& strand, std::string probe_name, sdk::ProbeSpec check,
              ProbeSchedule probe_schedule)
            : name(std::move(probe_name)), spec(std::move(check)), schedule(probe_schedule), timer(strand) {}
        std::string name;
        sdk::ProbeSpec spec;  // as each check gets it
        ProbeSchedule schedule;
        boost::asio::steady_timer timer;  // the next check, or the running check's last chance
        std::uint64_t check_id = 0;
        std::uint64_t generation = 0;  // of the running check: a late answer of an abandoned one is ignored
        bool checking = false;
    };

    Instance(std::weak_ptr<Core> owner, std::uint64_t watch_id, WatchTarget watched, Strand instance_strand)
        : core(std::move(owner)),
          id(watch_id),
          target(std::move(watched)),
          strand(std::move(instance_strand)),
          settle_timer(strand) {}

    std::weak_ptr<Core> core;
    std::uint64_t id;
    WatchTarget target;
    Strand strand;
    boost::asio::steady_timer settle_timer;      // no probe: when running long enough makes it ready
    std::vector<std::unique_ptr<Probe>> probes;  // strand only
    bool stopped = false;                        // strand only
    bool oom = false;                            // strand only

    mutable std::mutex status_mutex;
    HealthStatus status;

    void begin(const std::shared_ptr<Core>& owner) {
        if (stopped) return;  // it exited before the watch began
        if (target.probes.empty()) {
            const auto settle = owner->settings.no_probe_ready_after;
            // An adopted container that has long been running is ready at once; otherwise the
            // settle period counts from now (the engine's clock may differ from ours).
            const bool long_running = ran_for() > settle + kLongRunning;
            settle_timer.expires_at(long_running ? Clock::now() : target.started + settle);
            settle_timer.async_wait(boost::asio::bind_executor(
                strand, [self = shared_from_this(), settle](boost::system::error_code ec) {
                    const auto owner_now = self->core.lock();
                    if (ec || self->stopped || !owner_now) return;
                    self->set_state(owner_now, HealthState::ready, "ready",
                                    "running for " + std::to_string(settle.count()) + " ms, no probe", "");
                }));
            return;
        }
        for (const auto& probe : target.probes) {
            const auto name = probe.name.empty() ? probe.type : probe.name;
            probes.push_back(std::make_unique<Probe>(
                strand, name, check_spec(probe, target, owner->settings.probe_address),
                ProbeSchedule(timings_for(probe, owner->settings.defaults), target.started)));
        }
        for (auto& probe : probes) schedule(*probe, probe->schedule.first_check());
    }

    // How long the container has run by the engine's start time (an adopted one: maybe long).
    [[nodiscard]] Millis ran_for() const {
        if (target.started_at_ns <= 0) return Millis(0);
        const auto ran =
            std::chrono::duration_cast<Millis>(std::chrono::system_clock::now().time_since_epoch() -
                                               std::chrono::nanoseconds(target.started_at_ns));
        return std::max(ran, Millis(0));
    }

    void schedule(Probe& probe, TimePoint when) {
        probe.timer.expires_at(when);
        probe.timer.async_wait(boost::asio::bind_executor(
            strand, [self = shared_from_this(), &probe](boost::system::error_code ec) {
                if (!ec && !self->stopped) self->request_check(probe);
            }));
    }

    void request_check(Probe& probe) {
        const auto owner = core.lock();
        if (!owner) return;
        owner->limiter.acquire([self = shared_from_this(), &probe] {
            boost::asio::post(self->strand, [self, &probe] { self->run_check(probe); });
        });
    }

    void run_check(Probe& probe) {
        const auto owner = core.lock();
        if (!owner) return;
        if (stopped) {
            owner->limiter.release();
            return;
        }
        probe.checking = true;
        const auto generation = ++probe.generation;
        const auto timeout = Millis(probe.spec.timeout_ms);
        // The probe keeps its own deadline; this is the supervisor's last word on one that
        // does not answer at all.
        probe.timer.expires_after(timeout + kProbeGrace);
        probe.timer.async_wait(boost::asio::bind_executor(
            strand, [self = shared_from_this(), &probe, generation, timeout](boost::system::error_code ec) {
                if (ec || !probe.checking || probe.generation != generation) return;
                if (const auto core_now = self->core.lock()) core_now->runner.cancel(probe.check_id);
                CheckOutcome late;
                late.ran = true;
                late.result.message =
                    "the probe did not answer within " + std::to_string(timeout.count()) + " ms";
                self->on_result(probe, generation, std::move(late));
            }));
        probe.check_id = owner->runner.check(
            probe.spec, [weak = weak_from_this(), &probe, generation](CheckOutcome outcome) {
                const auto self = weak.lock();
                if (!self) return;
                boost::asio::post(self->strand,
                                  [self, &probe, generation, outcome = std::move(outcome)]() mutable {
                                      self->on_result(probe, generation, std::move(outcome));
                                  });
            });
    }

    void on_result(Probe& probe, std::uint64_t generation, CheckOutcome outcome) {
        if (!probe.checking || probe.generation != generation) return;  // answered late, already decided
        probe.checking = false;
        const auto owner = core.lock();
        if (!owner) return;
        owner->limiter.release();
        if (stopped) return;
        sdk::ProbeResult result = std::move(outcome.result);
        if (!outcome.ran) {
            result.healthy = false;
            result.message = "the probe could not run: " + outcome.error;
        }
        const auto now = Clock::now();
        const bool changed = probe.schedule.record(result.healthy, now);
        {
            const std::lock_guard lock(status_mutex);
            status.checks[probe.name] = result;
        }
        if (changed) evaluate(owner, probe, result.message);
        schedule(probe, probe.schedule.next_check(now));
    }

    // All probes must pass: the instance is ready when every one does, unhealthy when one fails
    // after it was ready.
    void evaluate(const std::shared_ptr<Core>& owner, const Probe& decided_by, const std::string& message) {
        bool all_pass = true;
        bool any_fails = false;
        for (const auto& probe : probes) {
            all_pass = all_pass && probe->schedule.state() == ProbeSchedule::State::passing;
            any_fails = any_fails || probe->schedule.state() == ProbeSchedule::State::failing;
        }
        HealthState current;
        {
            const std::lock_guard lock(status_mutex);
            current = status.state;
        }
        if (all_pass && current == HealthState::waiting) {
            set_state(owner, HealthState::ready, "ready", message, decided_by.name);
        } else if (all_pass && current == HealthState::unhealthy) {
            set_state(owner, HealthState::ready, "recovered", message, decided_by.name);
        } else if (any_fails && current == HealthState::ready) {
            set_state(owner, HealthState::unhealthy, "unhealthy", message, decided_by.name);
        }
    }

    void set_state(const std::shared_ptr<Core>& owner, HealthState to, const std::string& kind,
                   const std::string& reason, const std::string& probe_name) {
        HealthTransition transition{
            id, target.tenant, target.service, target.container_id, HealthState::waiting,
            to, kind,          reason,         probe_name,          Clock::now()};
        {
            const std::lock_guard lock(status_mutex);
            transition.from = status.state;
            status.state = to;
            status.reason = reason;
            status.since = transition.at;
        }
        owner->publish(transition);
    }

    void halt(const std::shared_ptr<Core>& owner) {
        stopped = true;
        settle_timer.cancel();
        for (auto& probe : probes) {
            probe->timer.cancel();
            if (probe->checking) owner->runner.cancel(probe->check_id);
        }
    }

    void on_event(const ContainerEvent& event) {
        const auto owner = core.lock();
        if (!owner) return;
        // The engine's stream replays events after a reconnect: one of an earlier run of this
        // container is not about this run.
        if (target.started_at_ns > 0 && event.time_nano > 0 && event.time_nano < target.started_at_ns) return;
        if (event.action == "oom") {
            oom = true;
            return;
        }
        HealthState current;
        {
            const std::lock_guard lock(status_mutex);
            current = status.state;
        }
        if (current == HealthState::exited || (event.action != "die" && event.action != "destroy")) return;
        halt(owner);
        std::string reason = "the container was removed";
        if (event.action == "die") {
            reason = oom ? "the container was OOM-killed" : "the container exited";
            if (event.exit_code) reason += " with code " + std::to_string(*event.exit_code);
        }
        set_state(owner, HealthState::exited, "exited", reason, "");
    }
};

HealthSupervisor::HealthSupervisor(boost::asio::any_io_executor executor, ProbeRunner& runner,
                                   SupervisorSettings settings, events::EventBus* bus,
                                   std::shared_ptr<spdlog::logger> logger)
    : core_(
          std::make_shared<Core>(std::move(executor), runner, std::move(settings), bus, std::move(logger))) {}

HealthSupervisor::~HealthSupervisor() {
    stop();
}

std::uint64_t HealthSupervisor::watch(WatchTarget target) {
    std::shared_ptr<Instance> instance;
    {
        const std::lock_guard lock(core_->mutex);
        const auto id = core_->next_id++;
        instance = std::make_shared<Instance>(core_, id, std::move(target),
                                              boost::asio::make_strand(core_->executor));
        {
            const std::lock_guard status_lock(instance->status_mutex);
            instance->status.has_probes = !instance->target.probes.empty();
            instance->status.since = Clock::now();
        }
        core_->instances.emplace(id, instance);
        if (!instance->target.container_id.empty()) core_->by_container[instance->target.container_id] = id;
    }
    // An exit the engine reported before the watch began decides first: begin() then does nothing.
    if (const auto exited =
            core_->recent_exits.since(instance->target.container_id, instance->target.started_at_ns)) {
        boost::asio::post(instance->strand, [instance, event = *exited] { instance->on_event(event); });
    }
    boost::asio::post(instance->strand, [instance, core = core_] { instance->begin(core); });
    return instance->id;
}

void HealthSupervisor::unwatch(std::uint64_t watch) {
    std::shared_ptr<Instance> instance;
    {
        const std::lock_guard lock(core_->mutex);
        const auto it = core_->instances.find(watch);
        if (it == core_->instances.end()) return;
        instance = it->second;
        core_->instances.erase(it);
        const auto by = core_->by_container.find(instance->target.container_id);
        if (by != core_->by_container.end() && by->second == watch) core_->by_container.erase(by);
    }
    boost::asio::post(instance->strand, [instance, core = core_] { instance->halt(core); });
}

std::optional<HealthStatus> HealthSupervisor::status(std::uint64_t watch) const {
    std::shared_ptr<Instance> instance;
    {
        const std::lock_guard lock(core_->mutex);
        const auto it = core_->instances.find(watch);
        if (it == core_->instances.end()) return std::nullopt;
        instance = it->second;
    }
    const std::lock_guard lock(instance->status_mutex);
    return instance->status;
}

std::uint64_t HealthSupervisor::subscribe(Listener listener) {
    return core_->listeners.add(std::move(listener));
}

void HealthSupervisor::unsubscribe(std::uint64_t id) {
    core_->listeners.remove(id);
}

void HealthSupervisor::on_container_event(const ContainerEvent& event) {
    core_->recent_exits.record(event);
    std::shared_ptr<Instance> instance;
    {
        const std::lock_guard lock(core_->mutex);
        const auto by = core_->by_container.find(event.id);
        if (by == core_->by_container.end()) return;
        instance = core_->instances.at(by->second);
    }
    boost::asio::post(instance->strand, [instance, event] { instance->on_event(event); });
}

void HealthSupervisor::stop() {
    std::map<std::uint64_t, std::shared_ptr<Instance>> instances;
    {
        const std::lock_guard lock(core_->mutex);
        core_->stopped = true;
        instances.swap(core_->instances);
        core_->by_container.clear();
    }
    core_->listeners.clear();
    // Wait (bounded: the executor may not be running) for every instance to halt, so that the
    // runner is not called after stop returns.
    auto halted = std::make_shared<std::promise<void>>();
    auto remaining = std::make_shared<std::atomic<std::size_t>>(instances.size());
    if (instances.empty()) return;
    for (auto& entry : instances) {
        auto instance = entry.second;
        boost::asio::post(instance->strand, [instance, core = core_, halted, remaining] {
            instance->halt(core);
            if (--*remaining == 0) halted->set_value();
        });
    }
    halted->get_future().wait_for(std::chrono::seconds(2));
}

}  // namespace envmgr::host::health
