// What the health supervisor watches and what it tells: the watched container, its health
// states, the status a watch holds, a transition between states, and the supervisor's settings.
#pragma once

#include "host/health/probe_schedule.h"

#include <envmgr/sdk/documents/probe.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
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

}  // namespace envmgr::host::health
