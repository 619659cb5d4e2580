// What the supervisor hands out: the `health` event of a transition, its states' names, and
// the spec and timings each check of a probe gets.
#include "host/health/health_supervisor.h"

#include <envmgr/sdk/documents/manager_documents.h>

#include <nlohmann/json.hpp>

namespace envmgr::host::health {

std::string_view health_state_name(HealthState state) {
    switch (state) {
        case HealthState::waiting: return "waiting";
        case HealthState::ready: return "ready";
        case HealthState::unhealthy: return "unhealthy";
        case HealthState::exited: return "exited";
    }
    return "unknown";
}

std::string health_event_document(const HealthTransition& transition, std::int64_t timestamp_ms) {
    const sdk::HealthEvent event{transition.tenant,
                                 transition.service,
                                 transition.container_id,
                                 transition.kind,
                                 std::string(health_state_name(transition.to)),
                                 std::string(health_state_name(transition.from)),
                                 transition.to == HealthState::ready,
                                 transition.reason,
                                 transition.probe,
                                 timestamp_ms};
    return nlohmann::json(event).dump();
}

sdk::ProbeSpec HealthSupervisor::check_spec(const sdk::ProbeSpec& probe, const WatchTarget& target,
                                            const std::string& probe_address) {
    sdk::ProbeSpec spec;  // the schedule fields stay at their defaults: the supervisor owns them
    spec.type = probe.type;
    spec.name = probe.name.empty() ? probe.type : probe.name;
    spec.path = probe.path;
    spec.expected_status_min = probe.expected_status_min;
    spec.expected_status_max = probe.expected_status_max;
    spec.send = probe.send;
    spec.expect = probe.expect;
    spec.command = probe.command;
    spec.method = probe.method;
    spec.headers = probe.headers;
    spec.body_contains = probe.body_contains;
    spec.max_response_bytes = probe.max_response_bytes;
    spec.params = probe.params;
    spec.timeout_ms = probe.timeout_ms;
    spec.container_id = target.container_id;
    const std::string mode = probe.target.empty() || probe.target == "auto" ? probe_address : probe.target;
    const bool container = mode == "container" || (mode == "auto" && !target.container_ip.empty());
    if (container) {
        spec.host = target.container_ip;
        spec.port = probe.port;
        spec.target = "container";
    } else if (const auto it = target.published_ports.find(probe.port); it != target.published_ports.end()) {
        const auto& ip = it->second.host_ip;
        spec.host = ip.empty() || ip == "0.0.0.0" ? "127.0.0.1" : (ip == "::" ? "::1" : ip);
        spec.port = it->second.host_port;
        spec.target = "published";
    } else {
        spec.target = "published";  // not published: host stays empty and the probe says so
        spec.port = probe.port;
    }
    return spec;
}

ProbeTimings HealthSupervisor::timings_for(const sdk::ProbeSpec& probe, const ProbeTimings& defaults) {
    ProbeTimings timings = defaults;
    timings.initial_delay = Millis(probe.initial_delay_ms);
    if (probe.interval_ms > 0) timings.interval = Millis(probe.interval_ms);
    timings.timeout = Millis(probe.timeout_ms);
    timings.success_threshold = probe.success_threshold;
    timings.failure_threshold = probe.failure_threshold;
    timings.start_period = Millis(probe.start_period_ms);
    return timings;
}

}  // namespace envmgr::host::health
