#include "host/manager/manager_operations.h"

#include <envmgr/sdk/completion.h>

#include <optional>

namespace envmgr::host::manager {

struct ManagerOperations::Call {
    envmgr_operation_id id = 0;
    sdk::Completion done;
};

namespace {

// A request field, checked for its type; the error names it.
template <typename T>
std::optional<T> field(const nlohmann::json& request, const char* name, T fallback, std::string& error) {
    if (!request.contains(name)) return fallback;
    try {
        return request.at(name).get<T>();
    } catch (const nlohmann::json::exception&) {
        error = std::string(name) + ": wrong type";
        return std::nullopt;
    }
}

}  // namespace

std::shared_ptr<ManagerOperations::Call> ManagerOperations::track() {
    auto call = std::make_shared<Call>();
    const std::lock_guard lock(mutex_);
    call->id = next_id_++;
    calls_[call->id] = call;
    return call;
}

void ManagerOperations::forget(envmgr_operation_id id) {
    const std::lock_guard lock(mutex_);
    calls_.erase(id);
}

envmgr_operation_id ManagerOperations::invoke(const std::string& operation, const std::string& request_json,
                                              const envmgr_callbacks& callbacks) {
    const sdk::Completion done(&callbacks);
    const auto request = nlohmann::json::parse(request_json.empty() ? "{}" : request_json, nullptr, false);
    if (!request.is_object()) {
        done.fail(ENVMGR_STATUS_INVALID, "request: not a JSON object");
        return 0;
    }
    std::string error;
    const auto tenant = field<std::string>(request, "tenant", "default", error);
    const auto services = field<std::vector<std::string>>(request, "services", {}, error);
    if (!error.empty() || !tenant || !services) {
        done.fail(ENVMGR_STATUS_INVALID, error);
        return 0;
    }
    auto call = track();
    call->done = done;
    const auto id = call->id;
    const auto finish = [this, call](const scheduler::RunResult& result) {
        forget(call->id);
        const auto document = scheduler::run_result_document(result);
        if (result.status == ENVMGR_STATUS_OK) {
            call->done.ok(document.dump());
        } else {
            call->done.fail(result.status, result.message);
        }
    };
    // A stop that ran answers with its result even when a service did not stop (`ok` false,
    // each service's outcome); only a stop that could not begin fails.
    const auto finish_stop = [this, call, finish](const scheduler::RunResult& result) {
        if (result.status == ENVMGR_STATUS_OK || result.services.empty()) return finish(result);
        forget(call->id);
        call->done.ok(scheduler::run_result_document(result).dump());
    };
    if (operation == "services.start") {
        const auto parallel = field<bool>(request, "parallel", true, error);
        if (!parallel) {
            forget(id);
            done.fail(ENVMGR_STATUS_INVALID, error);
            return 0;
        }
        engine_.start(
            {*tenant, *services, *parallel},
            [call](const scheduler::StatusEvent& event) {
                call->done.item(scheduler::status_document(event).dump());
            },
            finish);
    } else if (operation == "services.stop") {
        const auto timeout = field<std::int64_t>(request, "timeout_seconds", 0, error);
        const auto remove = field<bool>(request, "remove", true, error);
        if (!timeout || !remove || *timeout < 0) {
            forget(id);
            done.fail(ENVMGR_STATUS_INVALID, error.empty() ? "timeout_seconds: must be >= 0" : error);
            return 0;
        }
        engine_.stop({*tenant, *services, *timeout, *remove}, finish_stop);
    } else if (operation == "services.restart") {
        const auto timeout = field<std::int64_t>(request, "timeout_seconds", 0, error);
        if (services->size() != 1 || !timeout || *timeout < 0) {
            forget(id);
            done.fail(ENVMGR_STATUS_INVALID, services->size() != 1
                                                 ? "services: name exactly one service to restart"
                                             : error.empty() ? "timeout_seconds: must be >= 0"
                                                             : error);
            return 0;
        }
        // Stopped with what depends on it (as a stop does), then all of them started again.
        auto& engine = engine_;
        const std::string& tenant_name = *tenant;
        engine_.stop({tenant_name, *services, *timeout, true},
                     [&engine, finish, tenant_name](const scheduler::RunResult& stopped) {
                         if (stopped.status != ENVMGR_STATUS_OK) return finish(stopped);
                         std::vector<std::string> names;
                         for (const auto& outcome : stopped.services) names.push_back(outcome.service);
                         engine.start({tenant_name, names, true}, nullptr, finish);
                     });
    } else if (operation == "status.snapshot") {
        if (*tenant != "*" && !engine_.has_tenant(*tenant)) {
            forget(id);
            done.fail(ENVMGR_STATUS_NOT_FOUND, "tenant '" + *tenant + "' is not configured");
            return 0;
        }
        engine_.snapshot(*tenant == "*" ? std::string() : *tenant,
                         [this, call](const nlohmann::json& snapshot) {
                             forget(call->id);
                             call->done.ok(snapshot.dump());
                         });
    } else {
        forget(id);
        done.fail(ENVMGR_STATUS_UNSUPPORTED,
                  "manager operation '" + operation + "' is not available in this host");
        return 0;
    }
    return id;
}

void ManagerOperations::cancel(envmgr_operation_id id) {
    std::shared_ptr<Call> call;
    {
        const std::lock_guard lock(mutex_);
        const auto it = calls_.find(id);
        if (it == calls_.end()) return;
        call = it->second;
        calls_.erase(it);
    }
    call->done.fail(ENVMGR_STATUS_CANCELLED, "cancelled; the operation itself goes on");
}

}  // namespace envmgr::host::manager
