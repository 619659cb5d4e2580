#include "plugins/probes/exec/exec_probe.h"

#include "plugins/probes/exec/exec_verdict.h"

#include <chrono>
#include <vector>

namespace envmgr::plugins::probes::exec {

ExecProbe::ExecProbe(const sdk::Host& host, const nlohmann::json&) : ProbePlugin(host) {}

envmgr_operation_id ExecProbe::check(const sdk::ProbeSpec& spec, const sdk::Completion& done) {
    if (spec.container_id.empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, "container_id: required for an exec check");
    }
    const envmgr_operation_id check_id = next_id_++;
    {
        const std::lock_guard lock(mutex_);
        pending_.emplace(check_id, Pending{done, 0, false});
    }
    const auto started = std::chrono::steady_clock::now();
    const nlohmann::json request{
        {"id", spec.container_id}, {"command", spec.command}, {"timeout_ms", spec.timeout_ms}};
    const auto backend_id = host().backend_invoke(
        "container.exec", request.dump(), [this, check_id, started](const sdk::Result& r) {
            finish(check_id, r,
                   std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                       .count());
        });
    bool cancel_now = false;
    {
        const std::lock_guard lock(mutex_);
        const auto it = pending_.find(check_id);
        if (it == pending_.end()) return 0;  // completed during the call
        it->second.backend_id = backend_id;
        cancel_now = it->second.cancel_requested;
    }
    if (cancel_now) host().backend_cancel(backend_id);
    return check_id;
}

void ExecProbe::finish(envmgr_operation_id check_id, const sdk::Result& result, double latency_ms) {
    sdk::Completion done;
    {
        const std::lock_guard lock(mutex_);
        const auto it = pending_.find(check_id);
        if (it == pending_.end()) return;
        done = it->second.done;
        pending_.erase(it);
    }
    sdk::ProbeResult out;
    out.latency_ms = latency_ms;
    switch (result.status) {
        case ENVMGR_STATUS_OK: {
            const auto verdict = judge_exec(nlohmann::json::parse(result.payload, nullptr, false));
            out.healthy = verdict.healthy;
            out.message = verdict.message;
            break;
        }
        // The command could not finish in time, or the container is not there or not running:
        // the check ran, and the service is not ready.
        case ENVMGR_STATUS_TIMEOUT:
        case ENVMGR_STATUS_CONFLICT:
        case ENVMGR_STATUS_NOT_FOUND: out.message = result.payload; break;
        // No backend, or the call itself was wrong: the probe could not run.
        default: done.fail(result.status, result.payload); return;
    }
    done.ok(nlohmann::json(out).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void ExecProbe::cancel(envmgr_operation_id check_id) {
    envmgr_operation_id backend_id = 0;
    {
        const std::lock_guard lock(mutex_);
        const auto it = pending_.find(check_id);
        if (it == pending_.end()) return;
        if (it->second.backend_id == 0) {
            it->second.cancel_requested = true;
            return;
        }
        backend_id = it->second.backend_id;
    }
    // The backend completes the exec with CANCELLED, which finish() passes on.
    host().backend_cancel(backend_id);
}

void ExecProbe::stop(const sdk::Completion& done) {
    std::vector<envmgr_operation_id> ids;
    {
        const std::lock_guard lock(mutex_);
        for (const auto& [check_id, pending] : pending_) ids.push_back(check_id);
    }
    for (const auto check_id : ids) cancel(check_id);
    done.ok();
}

}  // namespace envmgr::plugins::probes::exec
