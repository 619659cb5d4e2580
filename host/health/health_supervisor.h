// The health supervisor: one watch per service instance, with kubelet's parameters
// (probe_schedule.h), all of its probes (all must pass), engine events first (a container that
// dies is unhealthy at once, not at the next probe), and probe traffic bounded daemon-wide.
//
// Threading: watch, unwatch, status, subscribe and on_container_event may be called from any
// thread. Each watched instance changes on its own strand of the executor; listeners run there
// (one instance's transitions never overlap and come in order) and must not block. After
// unwatch returns, no check of that instance starts; a transition being published at that
// moment may still arrive. stop() ends every watch; after it returns no listener runs.
#pragma once

#include "host/events/event_bus.h"
#include "host/health/check_limiter.h"
#include "host/health/container_events.h"
#include "host/health/probe_runner.h"
#include "host/health/probe_schedule.h"
#include "host/health/recent_exits.h"

#include <envmgr/sdk/documents/probe.h>

#include <boost/asio/any_io_executor.hpp>

#include <spdlog/logger.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace envmgr::host::health {

// What is watched: one running container of a service.
struct WatchTarget {
    std::string tenant;
    std::string service;
    std::string container_id;
    std::string container_ip;  // on the service's network; "" when unknown
    struct Published {
        std::string host_ip;  // "" or 0.0.0.0: reach it on 127.0.0.1
        int host_port = 0;
    };
    std::map<int, Published> published_ports;  // container port (tcp) -> where it is published
    std::vector<sdk::ProbeSpec> probes;        // empty: ready once running ("no probe")
    TimePoint started = Clock::now();          // when the container started
    // The engine's start time of this run (inspect's started_at_ns); an exit event from before it
    // belongs to an earlier run. 0: unknown.
    std::int64_t started_at_ns = 0;
};

enum class HealthState {
    waiting,    // running, not ready yet
    ready,      // every probe passes (or there is none)
    unhealthy,  // was ready; a probe failed its threshold
    exited,     // the container stopped, died or was OOM-killed
};
std::string_view health_state_name(HealthState state);

struct HealthStatus {
    HealthState state = HealthState::waiting;
    bool has_probes = true;  // false: "no probe", ready because it runs
    std::string reason;      // why it is in this state: the deciding probe's message, the exit
    TimePoint since;
    std::map<std::string, sdk::ProbeResult> checks;  // probe name -> its last result
};

struct HealthTransition {
    std::uint64_t watch = 0;
    std::string tenant;
    std::string service;
    std::string container_id;
    HealthState from = HealthState::waiting;
    HealthState to = HealthState::waiting;
    std::string kind;    // ready, unhealthy, recovered, exited
    std::string reason;  // the last probe message, or how the container ended
    std::string probe;   // the probe that decided it ("" for engine events)
    TimePoint at;
};

// The `health` event of the bus for a transition (events.md).
std::string health_event_document(const HealthTransition& transition, std::int64_t timestamp_ms);

struct SupervisorSettings {
    ProbeTimings defaults;  // for what a probe spec leaves at its default
    std::size_t max_concurrent_checks = 32;
    std::string probe_address = "auto";  // auto | container | published
    // A service without a probe is ready once its container has run this long without exiting:
    // a process that exits at once is never called ready (the engine reports the exit within
    // milliseconds; this leaves a wide margin).
    Millis no_probe_ready_after{500};
};

class HealthSupervisor {
public:
    using Listener = std::function<void(const HealthTransition&)>;

    // bus may be null; transitions are then only given to listeners.
    HealthSupervisor(boost::asio::any_io_executor executor, ProbeRunner& runner, SupervisorSettings settings,
                     events::EventBus* bus, std::shared_ptr<spdlog::logger> logger);
    HealthSupervisor(const HealthSupervisor&) = delete;
    HealthSupervisor& operator=(const HealthSupervisor&) = delete;
    ~HealthSupervisor();

    std::uint64_t watch(WatchTarget target);
    void unwatch(std::uint64_t watch);
    [[nodiscard]] std::optional<HealthStatus> status(std::uint64_t watch) const;

    std::uint64_t subscribe(Listener listener);
    void unsubscribe(std::uint64_t id);

    // Engine events (ContainerEvents): die and OOM end a watched container's health at once.
    void on_container_event(const ContainerEvent& event);

    void stop();

    // The spec one check of `probe` gets: the address filled in (the container's own, or the
    // published port), the schedule fields left out (the supervisor owns them). Pure.
    static sdk::ProbeSpec check_spec(const sdk::ProbeSpec& probe, const WatchTarget& target,
                                     const std::string& probe_address);
    // The timings of a probe: its spec's, or the settings' where the spec keeps the default.
    static ProbeTimings timings_for(const sdk::ProbeSpec& probe, const ProbeTimings& defaults);

private:
    struct Core;
    struct Instance;
    std::shared_ptr<Core> core_;
};

}  // namespace envmgr::host::health
