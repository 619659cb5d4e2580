// Probe spec and probe result (plugin_api/docs/probe.md).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace envmgr::sdk {

struct ProbeSpec {
    std::string type;               // "tcp", "http", "exec", or another probe plugin's type
    std::string host;               // where to connect; filled by the host at check time
    int port = 0;                   // container port in a definition; the port to reach in a check
    std::string path;               // http: request path
    int expected_status_min = 200;  // http: accepted status range, inclusive
    int expected_status_max = 299;
    std::string send;                  // tcp: bytes written after connecting
    std::string expect;                // tcp: the reply must start with these bytes
    std::vector<std::string> command;  // exec: argv run inside the container
    std::string container_id;          // exec: filled by the host at check time
    std::int64_t initial_delay_ms = 0;
    std::int64_t interval_ms = 0;  // between checks once ready; 0: the host's default
    std::int64_t timeout_ms = 1000;
    int success_threshold = 1;
    int failure_threshold = 3;
    std::int64_t start_period_ms = 0;  // failures in this period do not count
    // Added with the probe plugins (probe.md "Added fields"):
    std::string name;                                  // a service's probes by name; "" : the type
    std::string method = "GET";                        // http: GET or HEAD
    std::map<std::string, std::string> headers;        // http: extra request headers
    std::string body_contains;                         // http: the body must hold this text
    std::int64_t max_response_bytes = 65536;           // http and tcp: the most of a reply read
    std::string target;                                // "" / "auto", "container" or "published"
    nlohmann::json params = nlohmann::json::object();  // a probe type's own parameters
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProbeSpec, type, host, port, path, expected_status_min,
                                                expected_status_max, send, expect, command, container_id,
                                                initial_delay_ms, interval_ms, timeout_ms, success_threshold,
                                                failure_threshold, start_period_ms, name, method, headers,
                                                body_contains, max_response_bytes, target, params)

struct ProbeResult {
    bool healthy = false;
    std::string message;  // why, in a few words: "PONG", "connection refused", "HTTP 503"
    double latency_ms = 0.0;
    std::map<std::string, std::string> details;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ProbeResult, healthy, message, latency_ms, details)

// Field-by-field check; each error names the field. Empty when the spec is usable.
inline std::vector<std::string> validate(const ProbeSpec& spec) {
    std::vector<std::string> errors;
    if (spec.type.empty()) errors.emplace_back("type: required");
    if (spec.port < 0 || spec.port > 65535) errors.emplace_back("port: must be 0..65535");
    if (spec.expected_status_min > spec.expected_status_max) {
        errors.emplace_back("expected_status_min: greater than expected_status_max");
    }
    if (spec.initial_delay_ms < 0) errors.emplace_back("initial_delay_ms: must be >= 0");
    if (spec.interval_ms < 0) errors.emplace_back("interval_ms: must be >= 0 (0: the host's default)");
    if (spec.timeout_ms <= 0) errors.emplace_back("timeout_ms: must be > 0");
    if (spec.success_threshold < 1) errors.emplace_back("success_threshold: must be >= 1");
    if (spec.failure_threshold < 1) errors.emplace_back("failure_threshold: must be >= 1");
    if (spec.start_period_ms < 0) errors.emplace_back("start_period_ms: must be >= 0");
    if (spec.type == "exec" && spec.command.empty()) errors.emplace_back("command: required for exec");
    if (spec.method != "GET" && spec.method != "HEAD") errors.emplace_back("method: must be GET or HEAD");
    if (spec.max_response_bytes <= 0) errors.emplace_back("max_response_bytes: must be > 0");
    if (!spec.target.empty() && spec.target != "auto" && spec.target != "container" &&
        spec.target != "published") {
        errors.emplace_back("target: must be auto, container or published");
    }
    if (!spec.params.is_object()) errors.emplace_back("params: must be an object");
    return errors;
}

}  // namespace envmgr::sdk
