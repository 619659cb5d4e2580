// A ProbeRunner that times each check into probe_duration_seconds{kind, result} (result: healthy,
// unhealthy, error) and passes it on: the supervisor is unchanged, the daemon wraps its runner.
#pragma once

#include "host/health/probe_runner.h"
#include "host/metrics/metrics_registry.h"

namespace envmgr::host::health {

class MeasuredProbeRunner : public ProbeRunner {
public:
    MeasuredProbeRunner(ProbeRunner& inner, metrics::MetricsRegistry& metrics)
        : inner_(inner), metrics_(metrics) {}

    std::uint64_t check(const sdk::ProbeSpec& spec, Done done) override;
    void cancel(std::uint64_t id) override { inner_.cancel(id); }
    [[nodiscard]] bool has_type(const std::string& type) const override { return inner_.has_type(type); }

private:
    ProbeRunner& inner_;
    metrics::MetricsRegistry& metrics_;
};

}  // namespace envmgr::host::health
