// The manager operations frontends call through host_api.manager_invoke
// (plugin_api/docs/manager-operations.md): services.start, services.stop, services.restart,
// services.logs, status.snapshot on the lifecycle engine; tasks.execute, resources.get,
// images.pull, daemon.health beside it; plugins.list, config.effective, timeline.get and
// timeline.plot for operators. One member each, found by name in a table; bad requests
// complete INVALID naming the field.
#pragma once

#include "host/manager/status_documents.h"
#include "host/manager/status_fragments.h"
#include "host/scheduler/lifecycle_engine.h"
#include "host/stats/stats_cache.h"
#include "host/tasks/task_runner.h"

#include <envmgr/abi.h>

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace envmgr::host::manager {

// What daemon.health tells about the daemon itself.
struct DaemonInfo {
    std::string version;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::vector<std::string> plugins;  // ids of the plugins running
    std::string plugin_listing;        // plugins.list: the --list-plugins JSON document
};

class ManagerOperations {
public:
    // stats: where status.snapshot takes resource usage from (null: none).
    ManagerOperations(scheduler::LifecycleEngine& engine, tasks::TaskRunner& tasks,
                      const stats::StatsCache* stats = nullptr)
        : engine_(engine), tasks_(tasks), stats_(stats) {}

    void set_daemon_info(DaemonInfo info) { daemon_ = std::move(info); }

    // Completes through callbacks exactly once; returns the call's id (0 when it completed
    // during the call).
    envmgr_operation_id invoke(const std::string& operation, const std::string& request_json,
                               const envmgr_callbacks& callbacks);
    // Ends the call at once with CANCELLED. The work goes on: a start a client stopped listening
    // to still brings the services up (stop them to undo it).
    void cancel(envmgr_operation_id id);

private:
    struct Call;
    // A request as every operation gets it: tenant and services read and bounded, the rest as sent.
    struct Request {
        std::string tenant;
        std::vector<std::string> services;
        nlohmann::json body;
    };
    // Each operation is one member: it completes the call (or refuses it, returning 0) and
    // returns the call's id. handlers() maps operation names to them.
    using Handler = envmgr_operation_id (ManagerOperations::*)(const std::shared_ptr<Call>&, const Request&);
    static const std::map<std::string, Handler, std::less<>>& handlers();
    std::shared_ptr<Call> track();

    // services.start, services.stop, services.restart, status.snapshot (service_operations.cpp).
    envmgr_operation_id start_services(const std::shared_ptr<Call>& call, const Request& asked);
    envmgr_operation_id stop_services(const std::shared_ptr<Call>& call, const Request& asked);
    envmgr_operation_id restart_service(const std::shared_ptr<Call>& call, const Request& asked);
    envmgr_operation_id status_snapshot(const std::shared_ptr<Call>& call, const Request& asked);
    // The versions a status snapshot taken now is built from (status_documents.h).
    [[nodiscard]] StatusSources status_sources() const;
    // How a run's result completes a call: the result's document, or its failure.
    std::function<void(const scheduler::RunResult&)> finish_run(const std::shared_ptr<Call>& call);
    // services.logs: the service's container's log lines as items (logs_operation.cpp).
    envmgr_operation_id logs(const std::shared_ptr<Call>& call, const Request& asked);
    // tasks.execute and resources.get (task_operations.cpp).
    envmgr_operation_id execute_task(const std::shared_ptr<Call>& call, const Request& asked);
    envmgr_operation_id resources(const std::shared_ptr<Call>& call, const Request& asked);
    // daemon.health (health_operation.cpp).
    envmgr_operation_id daemon_health(const std::shared_ptr<Call>& call, const Request& asked);
    // plugins.list, config.effective, timeline.get, timeline.plot (operator_operations.cpp).
    envmgr_operation_id list_plugins(const std::shared_ptr<Call>& call, const Request& asked);
    envmgr_operation_id effective_config(const std::shared_ptr<Call>& call, const Request& asked);
    envmgr_operation_id start_timeline(const std::shared_ptr<Call>& call, const Request& asked);
    envmgr_operation_id plot_timeline(const std::shared_ptr<Call>& call, const Request& asked);
    // images.pull (pull_operation.cpp).
    envmgr_operation_id pull_images(const std::shared_ptr<Call>& call, const Request& asked);
    // Completes the call with an error; returns 0 (the call completed during invoke).
    envmgr_operation_id refuse(const std::shared_ptr<Call>& call, envmgr_status status,
                               const std::string& message);
    void forget(envmgr_operation_id id);

    scheduler::LifecycleEngine& engine_;
    tasks::TaskRunner& tasks_;
    const stats::StatsCache* stats_;
    DaemonInfo daemon_;
    StatusDocuments status_documents_;
    StatusFragments status_fragments_;  // what a document built anew is put together from
    std::mutex mutex_;
    std::map<envmgr_operation_id, std::shared_ptr<Call>> calls_;
    envmgr_operation_id next_id_ = 1;
};

}  // namespace envmgr::host::manager
