// The spec and timings each check of a probe gets: where the probe reaches the container (its
// address on the service's network, or the port published on the host) and which schedule.
#include "host/health/health_supervisor.h"

namespace envmgr::host::health {

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
