// probe.tcp: readiness by TCP. Connects; with `send`/`expect` it writes bytes and needs a reply
// that starts with `expect` (docs/probe.md), which is what tells a listening service from
// Docker's userland proxy accepting for it.
#pragma once

#include <envmgr/kit/probe/async_probe.h>

#include <envmgr/sdk/sdk.h>

namespace envmgr::plugins::probes::tcp {

class TcpProbe : public sdk::ProbePlugin {
public:
    static constexpr const char* id = "probe.tcp";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "TCP connect, with an optional request and expected reply";
    static constexpr const char* probe_type = "tcp";

    TcpProbe(const sdk::Host& host, const nlohmann::json& config);

    envmgr_operation_id check(const sdk::ProbeSpec& spec, const sdk::Completion& done);
    void cancel(envmgr_operation_id check_id) { probe_.cancel(check_id); }
    void stop(const sdk::Completion& done) { probe_.stop(done); }

private:
    kit::probe::AsyncProbe probe_;
};

}  // namespace envmgr::plugins::probes::tcp
