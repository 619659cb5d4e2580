// services.start, services.stop, services.restart and status.snapshot: the operations of the
// lifecycle engine (StartServices, StopServices, RestartService, GetServicesStatus).
#include "host/manager/manager_call.h"

#include <chrono>
#include <memory>

namespace envmgr::host::manager {

std::function<void(const scheduler::RunResult&)> ManagerOperations::finish_run(
    const std::shared_ptr<Call>& call) {
    return [this, call](const scheduler::RunResult& result) {
        forget(call->id);
        const auto document = scheduler::run_result_document(result);
        if (result.status == ENVMGR_STATUS_OK) {
            call->done.ok(nlohmann::json(document).dump());
        } else {
            call->done.fail(result.status, result.message);
        }
    };
}

envmgr_operation_id ManagerOperations::start_services(const std::shared_ptr<Call>& call,
                                                      const Request& asked) {
    std::string error;
    const auto parallel = field<bool>(asked.body, "parallel", true, error);
    const auto overrides = field<std::map<std::string, std::string>>(asked.body, "overrides", {}, error);
    if (!parallel || !overrides) return refuse(call, ENVMGR_STATUS_INVALID, error);
    auto chosen = engine_.overrides_for(asked.tenant, *overrides);
    if (!chosen.error.empty()) return refuse(call, ENVMGR_STATUS_INVALID, chosen.error);
    engine_.start(
        {asked.tenant, asked.services, *parallel, std::move(chosen.services)},
        [call](const scheduler::StatusEvent& event) {
            call->done.item(nlohmann::json(scheduler::status_document(event)).dump());
        },
        finish_run(call));
    return call->id;
}

envmgr_operation_id ManagerOperations::stop_services(const std::shared_ptr<Call>& call,
                                                     const Request& asked) {
    std::string error;
    const auto timeout = field<std::int64_t>(asked.body, "timeout_seconds", 0, error);
    const auto remove = field<bool>(asked.body, "remove", true, error);
    if (!timeout || !remove || *timeout < 0) {
        return refuse(call, ENVMGR_STATUS_INVALID, error.empty() ? "timeout_seconds: must be >= 0" : error);
    }
    // A stop that ran answers with its result even when a service did not stop (`ok` false,
    // each service's outcome); only a stop that could not begin fails.
    engine_.stop({asked.tenant, asked.services, *timeout, *remove},
                 [this, call, finish = finish_run(call)](const scheduler::RunResult& result) {
                     if (result.status == ENVMGR_STATUS_OK || result.services.empty()) return finish(result);
                     forget(call->id);
                     call->done.ok(nlohmann::json(scheduler::run_result_document(result)).dump());
                 });
    return call->id;
}

envmgr_operation_id ManagerOperations::restart_service(const std::shared_ptr<Call>& call,
                                                       const Request& asked) {
    std::string error;
    const auto timeout = field<std::int64_t>(asked.body, "timeout_seconds", 0, error);
    if (asked.services.size() != 1) {
        return refuse(call, ENVMGR_STATUS_INVALID, "services: name exactly one service to restart");
    }
    if (!timeout || *timeout < 0) {
        return refuse(call, ENVMGR_STATUS_INVALID, error.empty() ? "timeout_seconds: must be >= 0" : error);
    }
    // Stopped with what depends on it (as a stop does), then all of them started again.
    engine_.stop({asked.tenant, asked.services, *timeout, true},
                 [&engine = engine_, finish = finish_run(call),
                  tenant = asked.tenant](const scheduler::RunResult& stopped) {
                     if (stopped.status != ENVMGR_STATUS_OK) return finish(stopped);
                     std::vector<std::string> names;
                     for (const auto& outcome : stopped.services) names.push_back(outcome.service);
                     engine.start({tenant, names, true, {}, "restart"}, nullptr, finish);
                 });
    return call->id;
}

envmgr_operation_id ManagerOperations::status_snapshot(const std::shared_ptr<Call>& call,
                                                       const Request& asked) {
    if (asked.tenant != "*" && !engine_.has_tenant(asked.tenant)) {
        return refuse(call, ENVMGR_STATUS_NOT_FOUND, "tenant '" + asked.tenant + "' is not configured");
    }
    // Read before the snapshot is built, so the document is at least as new as its label.
    const auto sources = status_sources();
    if (const auto document = status_documents_.find(asked.tenant, sources)) {
        forget(call->id);
        call->done.ok(*document);
        return 0;
    }
    engine_.shared_snapshot(
        asked.tenant == "*" ? std::string() : asked.tenant,
        [this, call, sources, tenant = asked.tenant](scheduler::SharedStatuses snapshot) {
            forget(call->id);
            snapshot.timestamp = sources.second;
            auto document = std::make_shared<const std::string>(status_fragments_.document(
                tenant, snapshot, stats_ != nullptr ? stats_->usage() : StatusFragments::Usage{}));
            status_documents_.keep(tenant, sources, document);
            call->done.ok(*document);
        });
    return call->id;
}

StatusSources ManagerOperations::status_sources() const {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return {engine_.status_version(), stats_ != nullptr ? stats_->version() : 0,
            std::chrono::duration_cast<std::chrono::seconds>(now).count()};
}

}  // namespace envmgr::host::manager
