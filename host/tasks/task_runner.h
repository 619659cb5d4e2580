// Runs ExecuteTask's tasks (manager operation tasks.execute) on the engine: in a service's
// running container (container.exec) or in a throwaway container from an image (container.run,
// pulled first when absent), within the task's timeout, each holding a slot of its workload
// class while it runs.
#pragma once

#include "host/scheduler/lifecycle_engine.h"
#include "host/tasks/host_figures.h"
#include "host/tasks/task_payload.h"
#include "host/tasks/workload_slots.h"

#include <envmgr/abi.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace envmgr::host::tasks {

struct TaskSettings {
    std::map<std::string, std::int64_t> capacity;  // per workload class
    std::int64_t default_timeout_seconds = 300;    // a task that gives 0
    std::string nvidia_smi = "nvidia-smi";
};

struct Task {
    std::string tenant;
    std::string task_id;
    std::string workload_class;  // resolved
    TaskPayload payload;
    std::int64_t timeout_seconds = 0;  // 0: the default
};

class TaskRunner {
public:
    // result: { exit_code, stdout, stderr, truncated, latency_ms } when status is OK.
    using Done =
        std::function<void(envmgr_status status, const nlohmann::json& result, const std::string& message)>;
    // Cancels the backend work of a task whose caller went away (a throwaway container is removed).
    using Cancel = std::function<void()>;

    // backend outlives the engine: a task's late completion during shutdown finds it.
    TaskRunner(scheduler::LifecycleEngine& engine, scheduler::BackendClient& backend, TaskSettings settings);

    // done runs exactly once, from any thread. Returns how to cancel the work (empty when done ran).
    Cancel execute(Task task, Done done);

    // Removes task containers an earlier daemon left (it died while they ran). At start-up.
    void sweep_leftovers(const std::function<void(const std::string&)>& log);

    [[nodiscard]] WorkloadSlots& slots() noexcept { return slots_; }
    [[nodiscard]] const TaskSettings& settings() const noexcept { return settings_; }
    // Shared: a resources call reads on a thread of its own that may outlive a shutdown.
    [[nodiscard]] std::shared_ptr<HostFiguresReader> figures() const { return figures_; }

private:
    struct Running;
    void in_service(const std::shared_ptr<Running>& running);
    void in_image(const std::shared_ptr<Running>& running);
    void run_throwaway(const std::shared_ptr<Running>& running);
    // A backend result as the task's outcome.
    static void complete(const std::shared_ptr<Running>& running, const sdk::Result& result,
                         const char* what);

    scheduler::LifecycleEngine& engine_;
    scheduler::BackendClient& backend_;
    TaskSettings settings_;
    WorkloadSlots slots_;
    std::shared_ptr<HostFiguresReader> figures_;
};

}  // namespace envmgr::host::tasks
