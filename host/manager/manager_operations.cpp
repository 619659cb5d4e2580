#include "host/manager/manager_operations.h"

#include "host/manager/manager_call.h"

#include <functional>
#include <optional>

namespace envmgr::host::manager {
std::string name_problem(const std::string& tenant, const std::vector<std::string>& services) {
    if (tenant.size() > sdk::kMaxTenantName) {
        return "tenant: " + std::to_string(tenant.size()) + " characters; a tenant name has at most " +
               std::to_string(sdk::kMaxTenantName);
    }
    for (std::size_t i = 0; i < services.size(); ++i) {
        if (services[i].size() > sdk::kMaxServiceName) {
            return "services[" + std::to_string(i) + "]: " + std::to_string(services[i].size()) +
                   " characters; a service name has at most " + std::to_string(sdk::kMaxServiceName);
        }
    }
    return {};
}

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

const std::map<std::string, ManagerOperations::Handler, std::less<>>& ManagerOperations::handlers() {
    static const std::map<std::string, Handler, std::less<>> table{
        {"services.start", &ManagerOperations::start_services},
        {"services.stop", &ManagerOperations::stop_services},
        {"services.restart", &ManagerOperations::restart_service},
        {"services.logs", &ManagerOperations::logs},
        {"status.snapshot", &ManagerOperations::status_snapshot},
        {"tasks.execute", &ManagerOperations::execute_task},
        {"resources.get", &ManagerOperations::resources},
        {"images.pull", &ManagerOperations::pull_images},
        {"daemon.health", &ManagerOperations::daemon_health},
        {"plugins.list", &ManagerOperations::list_plugins},
        {"config.effective", &ManagerOperations::effective_config},
        {"timeline.get", &ManagerOperations::start_timeline},
        {"timeline.plot", &ManagerOperations::plot_timeline},
    };
    return table;
}

envmgr_operation_id ManagerOperations::invoke(const std::string& operation, const std::string& request_json,
                                              const envmgr_callbacks& callbacks) {
    const sdk::Completion done(&callbacks);
    auto body = nlohmann::json::parse(request_json.empty() ? "{}" : request_json, nullptr, false);
    if (!body.is_object()) {
        done.fail(ENVMGR_STATUS_INVALID, "request: not a JSON object");
        return 0;
    }
    std::string error;
    auto tenant = field<std::string>(body, "tenant", "default", error);
    auto services = field<std::vector<std::string>>(body, "services", {}, error);
    if (error.empty() && tenant && services) error = name_problem(*tenant, *services);
    if (!error.empty() || !tenant || !services) {
        done.fail(ENVMGR_STATUS_INVALID, error);
        return 0;
    }
    const auto handler = handlers().find(operation);
    if (handler == handlers().end()) {
        done.fail(ENVMGR_STATUS_UNSUPPORTED,
                  "manager operation '" + operation + "' is not available in this host");
        return 0;
    }
    auto call = track();
    call->done = done;
    return (this->*handler->second)(call, Request{std::move(*tenant), std::move(*services), std::move(body)});
}

envmgr_operation_id ManagerOperations::refuse(const std::shared_ptr<Call>& call, envmgr_status status,
                                              const std::string& message) {
    forget(call->id);
    call->done.fail(status, message);
    return 0;
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
    call->cancel();  // work that only serves this call (a followed log) ends with it
}

}  // namespace envmgr::host::manager
