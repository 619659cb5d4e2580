#include "host/health/plugin_probe_runner.h"

#include <envmgr/sdk/async_call.h>

#include <nlohmann/json.hpp>

namespace envmgr::host::health {

struct PluginProbeRunner::Pending {
    std::shared_ptr<loader::PluginInstance> probe;
    envmgr_operation_id operation = 0;
};

PluginProbeRunner::PluginProbeRunner(ProbeLookup lookup) : lookup_(std::move(lookup)) {}

bool PluginProbeRunner::has_type(const std::string& type) const {
    return lookup_(type) != nullptr;
}

std::uint64_t PluginProbeRunner::check(const sdk::ProbeSpec& spec, Done done) {
    auto probe = lookup_(spec.type);
    if (!probe) {
        done(CheckOutcome{
            false, {}, ENVMGR_STATUS_UNAVAILABLE, "no probe plugin handles type '" + spec.type + "'"});
        return 0;
    }
    auto pending = std::make_shared<Pending>();
    pending->probe = probe;
    std::uint64_t id = 0;
    {
        const std::lock_guard lock(mutex_);
        id = next_id_++;
        pending_.emplace(id, pending);
    }
    const auto callbacks = sdk::make_callbacks([this, id, done = std::move(done)](const sdk::Result& r) {
        {
            const std::lock_guard lock(mutex_);
            pending_.erase(id);
        }
        CheckOutcome outcome;
        if (r.ok()) {
            const auto parsed = nlohmann::json::parse(r.payload, nullptr, false);
            try {
                outcome.result = parsed.get<sdk::ProbeResult>();
                outcome.ran = true;
            } catch (const nlohmann::json::exception&) {
                outcome.status = ENVMGR_STATUS_INTERNAL;
                outcome.error = "the probe answered a malformed result: " + r.payload.substr(0, 200);
            }
        } else {
            outcome.status = r.status;
            outcome.error = r.payload;
        }
        done(std::move(outcome));
    });
    const auto operation =
        probe->library().probe_api.check(probe->raw(), nlohmann::json(spec).dump().c_str(), &callbacks);
    const std::lock_guard lock(mutex_);
    const auto it = pending_.find(id);
    if (it == pending_.end()) return 0;  // completed during the call
    it->second->operation = operation;
    return id;
}

void PluginProbeRunner::cancel(std::uint64_t id) {
    std::shared_ptr<loader::PluginInstance> probe;
    envmgr_operation_id operation = 0;
    {
        const std::lock_guard lock(mutex_);
        const auto it = pending_.find(id);
        if (it == pending_.end()) return;
        probe = it->second->probe;
        operation = it->second->operation;
    }
    if (operation != 0) probe->library().probe_api.cancel(probe->raw(), operation);
}

}  // namespace envmgr::host::health
