#include "host/health/plugin_probe_runner.h"

#include <nlohmann/json.hpp>

namespace envmgr::host::health {
namespace {

CheckOutcome outcome_of(const sdk::Result& answer) {
    CheckOutcome outcome;
    if (!answer.ok()) {
        outcome.status = answer.status;
        outcome.error = answer.payload;
        return outcome;
    }
    const auto parsed = nlohmann::json::parse(answer.payload, nullptr, false);
    try {
        outcome.result = parsed.get<sdk::ProbeResult>();
        outcome.ran = true;
    } catch (const nlohmann::json::exception&) {
        outcome.status = ENVMGR_STATUS_INTERNAL;
        outcome.error = "the probe answered a malformed result: " + answer.payload.substr(0, 200);
    }
    return outcome;
}

}  // namespace

bool PluginProbeRunner::has_type(const std::string& type) const {
    return plugins_.probe_for(type).has_value();
}

std::uint64_t PluginProbeRunner::check(const sdk::ProbeSpec& spec, Done done) {
    const auto probe = plugins_.probe_for(spec.type);
    if (!probe) {
        done(CheckOutcome{
            false, {}, ENVMGR_STATUS_UNAVAILABLE, "no probe plugin handles type '" + spec.type + "'"});
        return 0;
    }
    return probe->check(nlohmann::json(spec).dump(),
                        [done = std::move(done)](const sdk::Result& answer) { done(outcome_of(answer)); });
}

}  // namespace envmgr::host::health
