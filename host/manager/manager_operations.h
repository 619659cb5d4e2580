// The manager operations frontends call through host_api.manager_invoke
// (plugin_api/docs/manager-operations.md): services.start, services.stop, services.restart,
// status.snapshot, on the lifecycle engine. Bad requests complete INVALID naming the field.
#pragma once

#include "host/scheduler/lifecycle_engine.h"

#include <envmgr/abi.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace envmgr::host::manager {

class ManagerOperations {
public:
    explicit ManagerOperations(scheduler::LifecycleEngine& engine) : engine_(engine) {}

    // Completes through callbacks exactly once; returns the call's id (0 when it completed
    // during the call).
    envmgr_operation_id invoke(const std::string& operation, const std::string& request_json,
                               const envmgr_callbacks& callbacks);
    // Ends the call at once with CANCELLED. The work goes on: a start a client stopped listening
    // to still brings the services up (stop them to undo it).
    void cancel(envmgr_operation_id id);

private:
    struct Call;
    std::shared_ptr<Call> track();
    // services.logs: the service's container's log lines as items.
    envmgr_operation_id logs(const std::shared_ptr<Call>& call, const std::string& tenant,
                             const nlohmann::json& request);
    void forget(envmgr_operation_id id);

    scheduler::LifecycleEngine& engine_;
    std::mutex mutex_;
    std::map<envmgr_operation_id, std::shared_ptr<Call>> calls_;
    envmgr_operation_id next_id_ = 1;
};

}  // namespace envmgr::host::manager
