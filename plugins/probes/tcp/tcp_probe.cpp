#include "plugins/probes/tcp/tcp_probe.h"

#include "plugins/probes/tcp/tcp_check.h"

namespace envmgr::plugins::probes::tcp {

TcpProbe::TcpProbe(const sdk::Host& host, const nlohmann::json&) : ProbePlugin(host), probe_(host) {}

envmgr_operation_id TcpProbe::check(const sdk::ProbeSpec& spec, const sdk::Completion& done) {
    if (spec.host.empty()) throw sdk::Error(ENVMGR_STATUS_INVALID, "host: required for a tcp check");
    if (spec.port <= 0) throw sdk::Error(ENVMGR_STATUS_INVALID, "port: required for a tcp check (1..65535)");
    TcpTarget target{spec.host, static_cast<std::uint16_t>(spec.port), spec.send, spec.expect,
                     static_cast<std::size_t>(spec.max_response_bytes)};
    return probe_.start(done, std::chrono::milliseconds(spec.timeout_ms),
                        [this, target = std::move(target)](const kit::probe::CheckRunPtr& run) {
                            run_tcp_check(probe_.io(), run, target);
                        });
}

}  // namespace envmgr::plugins::probes::tcp
