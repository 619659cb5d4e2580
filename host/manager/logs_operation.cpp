// services.logs (StreamLogs): the lines of a service's container, as items, from the backend's
// container.logs; a followed stream ends when the caller goes away.
#include "host/manager/manager_call.h"

namespace envmgr::host::manager {

envmgr_operation_id ManagerOperations::logs(const std::shared_ptr<Call>& call, const Request& asked) {
    const std::string& tenant = asked.tenant;
    const nlohmann::json& request = asked.body;
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

}  // namespace envmgr::host::manager
