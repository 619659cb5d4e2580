#include "host/health/measured_probe_runner.h"

#include <chrono>

namespace envmgr::host::health {

std::uint64_t MeasuredProbeRunner::check(const sdk::ProbeSpec& spec, Done done) {
    const auto started = std::chrono::steady_clock::now();
    return inner_.check(
        spec, [this, started, kind = spec.type, done = std::move(done)](CheckOutcome outcome) {
            const char* result = !outcome.ran ? "error" : outcome.result.healthy ? "healthy" : "unhealthy";
            metrics_.record(
                ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE, "probe_duration_seconds",
                "Duration of probe checks, by probe kind and result", {{"kind", kind}, {"result", result}},
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            done(std::move(outcome));
        });
}

}  // namespace envmgr::host::health
