#include "plugins/probes/http/http_probe.h"

#include "plugins/probes/http/http_check.h"

namespace envmgr::plugins::probes::http {

HttpProbe::HttpProbe(const sdk::Host& host, const nlohmann::json&) : ProbePlugin(host), probe_(host) {}

envmgr_operation_id HttpProbe::check(const sdk::ProbeSpec& spec, const sdk::Completion& done) {
    if (spec.host.empty()) throw sdk::Error(ENVMGR_STATUS_INVALID, "host: required for an http check");
    if (spec.port <= 0) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "port: required for an http check (1..65535)");
    }
    if (!spec.path.empty() && spec.path.front() != '/') {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "path: must start with '/'");
    }
    for (const auto& [name, value] : spec.headers) {
        if (name.empty() || name.find_first_of("\r\n: ") != std::string::npos ||
            value.find_first_of("\r\n") != std::string::npos) {
            throw sdk::Error(ENVMGR_STATUS_INVALID, "headers." + name + ": not a valid header line");
        }
    }
    HttpTarget target;
    target.host = spec.host;
    target.port = static_cast<std::uint16_t>(spec.port);
    target.method = spec.method;
    target.path = spec.path.empty() ? "/" : spec.path;
    target.headers = spec.headers;
    target.max_response_bytes = static_cast<std::size_t>(spec.max_response_bytes);
    target.expect = {spec.expected_status_min, spec.expected_status_max, spec.body_contains};
    return probe_.start(done, std::chrono::milliseconds(spec.timeout_ms),
                        [this, target = std::move(target)](const kit::probe::CheckRunPtr& run) {
                            run_http_check(probe_.io(), run, target);
                        });
}

}  // namespace envmgr::plugins::probes::http
