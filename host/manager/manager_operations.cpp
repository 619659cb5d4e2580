#include "host/manager/manager_operations.h"

#include "host/manager/manager_call.h"

#include <functional>
#include <optional>

namespace envmgr::host::manager {
namespace {

constexpr std::size_t kMaxTenantName = 32;  // tenants.md

// Names longer than any configured one are refused before anything echoes them.
std::string name_problem(const std::string& tenant, const std::vector<std::string>& services) {
    if (tenant.size() > kMaxTenantName) {
        return "tenant: " + std::to_string(tenant.size()) + " characters; a tenant name has at most " +
               std::to_string(kMaxTenantName);
    }
    for (std::size_t i = 0; i < services.size(); ++i) {
        if (services[i].size() > sdk::kMaxServiceName) {
            return "services[" + std::to_string(i) + "]: " + std::to_string(services[i].size()) +
                   " characters; a service name has at most " + std::to_string(sdk::kMaxServiceName);
        }
    }
    return {};
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
    if (error.empty() && tenant && services) error = name_problem(*tenant, *services);
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
        const auto overrides = field<std::map<std::string, std::string>>(request, "overrides", {}, error);
        if (!parallel || !overrides) return refuse(call, ENVMGR_STATUS_INVALID, error);
        auto chosen = engine_.overrides_for(*tenant, *overrides);
        if (!chosen.error.empty()) return refuse(call, ENVMGR_STATUS_INVALID, chosen.error);
        engine_.start(
            {*tenant, *services, *parallel, std::move(chosen.services)},
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
    } else if (operation == "services.logs") {
        return logs(call, *tenant, request);
    } else if (operation == "tasks.execute") {
        return execute_task(call, *tenant, request);
    } else if (operation == "resources.get") {
        return resources(call, request);
    } else if (operation == "daemon.health") {
        return daemon_health(call);
    } else if (operation == "images.pull") {
        return pull_images(call, *tenant, request);
    } else if (operation == "status.snapshot") {
        if (*tenant != "*" && !engine_.has_tenant(*tenant)) {
            forget(id);
            done.fail(ENVMGR_STATUS_NOT_FOUND, "tenant '" + *tenant + "' is not configured");
            return 0;
        }
        engine_.snapshot(*tenant == "*" ? std::string() : *tenant, [this, call](nlohmann::json snapshot) {
            forget(call->id);
            if (stats_ != nullptr) stats_->annotate(snapshot);
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

envmgr_operation_id ManagerOperations::logs(const std::shared_ptr<Call>& call, const std::string& tenant,
                                            const nlohmann::json& request) {
    std::string error;
    const auto service = field<std::string>(request, "service", "", error);
    const auto follow = field<bool>(request, "follow", false, error);
    const auto tail = field<std::int64_t>(request, "tail", 0, error);
    const auto since = field<std::int64_t>(request, "since", 0, error);
    const auto refuse = [this, &call](envmgr_status status, const std::string& message) {
        return this->refuse(call, status, message);
    };
    if (!service || !follow || !tail || !since) return refuse(ENVMGR_STATUS_INVALID, error);
    if (service->empty()) return refuse(ENVMGR_STATUS_INVALID, "service: required");
    if (auto problem = name_problem(tenant, {*service}); !problem.empty()) {
        return refuse(ENVMGR_STATUS_INVALID, "service: " + problem.substr(problem.find(':') + 2));
    }
    if (*tail < 0) return refuse(ENVMGR_STATUS_INVALID, "tail: must be >= 0 (0: all)");
    if (*since < 0) {
        return refuse(ENVMGR_STATUS_INVALID, "since: must be >= 0 (unix seconds; 0: from the start)");
    }
    if (!engine_.has_tenant(tenant)) {
        return refuse(ENVMGR_STATUS_NOT_FOUND, "tenant '" + tenant + "' is not configured");
    }
    if (!engine_.has_service(tenant, *service)) {
        return refuse(ENVMGR_STATUS_NOT_FOUND,
                      "service: no service '" + *service + "' in tenant '" + tenant + "'");
    }
    const nlohmann::json options{{"follow", *follow}, {"tail", *tail}, {"since", *since}};
    engine_.container_of(tenant, *service, [this, call, name = *service, options](const std::string& id) {
        if (id.empty()) {
            forget(call->id);
            call->done.fail(
                ENVMGR_STATUS_CONFLICT,
                "service '" + name + "' has no container (never started here, or removed): start it first");
            return;
        }
        auto logs_request = options;
        logs_request["id"] = id;
        auto& backend = engine_.backend();
        const auto work = backend.invoke(
            "container.logs", logs_request,
            [this, call](const sdk::Result& result) {
                forget(call->id);
                if (result.ok()) {
                    call->done.ok("{}");
                } else {
                    call->done.fail(result.status, result.payload);
                }
            },
            [call, name, id](std::string_view item_json) {
                auto line = nlohmann::json::parse(item_json, nullptr, false);
                if (!line.is_object() || !line.contains("message")) return;  // the stream's end marker
                line["service"] = name;
                line["container_id"] = id;
                call->done.item(line.dump());
            });
        if (work != 0) call->on_cancel([&backend, work] { backend.cancel(work); });
    });
    return call->id;
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
