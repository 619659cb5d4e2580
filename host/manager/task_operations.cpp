// tasks.execute (ExecuteTask) and resources.get (GetResourceAvailability).
#include "host/manager/manager_call.h"
#include "host/tasks/host_figures.h"

#include <thread>

namespace envmgr::host::manager {

envmgr_operation_id ManagerOperations::execute_task(const std::shared_ptr<Call>& call, const Request& asked) {
    const std::string& tenant = asked.tenant;
    const nlohmann::json& request = asked.body;
    std::string error;
    const auto task_id = field<std::string>(request, "task_id", "", error);
    const auto requested_class = field<std::string>(request, "workload_class", "", error);
    const auto timeout = field<std::int64_t>(request, "timeout_seconds", 0, error);
    if (!task_id || !requested_class || !timeout) return refuse(call, ENVMGR_STATUS_INVALID, error);
    if (*timeout < 0) {
        return refuse(call, ENVMGR_STATUS_INVALID, "timeout_seconds: must be >= 0 (0: the default)");
    }
    const auto workload_class = tasks::WorkloadSlots::resolve(*requested_class, error);
    if (!workload_class) return refuse(call, ENVMGR_STATUS_INVALID, error);
    if (!engine_.has_tenant(tenant)) {
        return refuse(call, ENVMGR_STATUS_NOT_FOUND, "tenant '" + tenant + "' is not configured");
    }
    auto parsed = tasks::parse_task_payload(request.contains("payload") ? request["payload"]
                                                                        : nlohmann::json::object());
    if (!parsed.error.empty()) return refuse(call, ENVMGR_STATUS_INVALID, parsed.error);

    tasks::Task task{tenant, *task_id, *workload_class, std::move(parsed.payload), *timeout};
    const auto id = call->id;
    auto cancel = tasks_.execute(
        std::move(task),
        [this, call](envmgr_status status, const nlohmann::json& result, const std::string& message) {
            forget(call->id);
            if (status == ENVMGR_STATUS_OK) {
                call->done.ok(result.dump());
            } else {
                call->done.fail(status, message);
            }
        });
    if (cancel) call->on_cancel(std::move(cancel));
    return id;
}

envmgr_operation_id ManagerOperations::resources(const std::shared_ptr<Call>& call, const Request& asked) {
    const nlohmann::json& request = asked.body;
    std::string error;
    const auto requested_class = field<std::string>(request, "workload_class", "", error);
    if (!requested_class) return refuse(call, ENVMGR_STATUS_INVALID, error);
    const auto workload_class = tasks::WorkloadSlots::resolve(*requested_class, error);
    if (!workload_class) return refuse(call, ENVMGR_STATUS_INVALID, error);
    auto document = nlohmann::json::object();
    for (const auto& name : tasks::WorkloadSlots::classes()) {
        const auto usage = tasks_.slots().usage(name);
        document["classes"][name] = {{"capacity", usage.capacity}, {"in_use", usage.in_use}};
    }
    const auto usage = tasks_.slots().usage(*workload_class);
    document.update({{"workload_class", *workload_class},
                     {"capacity", usage.capacity},
                     {"in_use", usage.in_use},
                     {"available", usage.in_use < usage.capacity}});
    forget(call->id);  // answered below whatever happens; nothing to cancel
    // nvidia-smi may take a moment: not on the caller's thread. The thread holds no part of the
    // manager, so a shutdown meanwhile leaves it nothing dangling.
    std::thread([call, document = std::move(document), reader = tasks_.figures()]() mutable {
        const auto figures = reader->read();
        auto gpus = nlohmann::json::array();
        for (const auto& gpu : figures.gpus) {
            gpus.push_back({{"index", gpu.index},
                            {"name", gpu.name},
                            {"memory_bytes", gpu.memory_bytes},
                            {"utilization_percent", gpu.utilization_percent}});
        }
        document.update({{"cpu_cores", figures.cpu_cores},
                         {"memory_bytes", figures.memory_bytes},
                         {"gpus", gpus},
                         {"gpu_note", figures.gpu_note}});
        call->done.ok(document.dump());
    }).detach();
    return call->id;
}

}  // namespace envmgr::host::manager
