// probe.http: readiness by an HTTP answer: GET (or HEAD) a path, accept a status range and
// optionally require a text in the body (docs/probe.md).
#pragma once

#include <envmgr/kit/probe/async_probe.h>

#include <envmgr/sdk/sdk.h>

namespace envmgr::plugins::probes::http {

class HttpProbe : public sdk::ProbePlugin {
public:
    static constexpr const char* id = "probe.http";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "HTTP/1.1 GET or HEAD with an accepted status range";
    static constexpr const char* probe_type = "http";

    HttpProbe(const sdk::Host& host, const nlohmann::json& config);

    envmgr_operation_id check(const sdk::ProbeSpec& spec, const sdk::Completion& done);
    void cancel(envmgr_operation_id check_id) { probe_.cancel(check_id); }
    void stop(const sdk::Completion& done) { probe_.stop(done); }

private:
    kit::probe::AsyncProbe probe_;
};

}  // namespace envmgr::plugins::probes::http
