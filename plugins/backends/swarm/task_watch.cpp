#include "plugins/backends/swarm/task_watch.h"

#include "plugins/backends/docker/engine_time.h"
#include "plugins/backends/docker/json_access.h"

#include <algorithm>

namespace envmgr::plugins::backends::swarm {
namespace {

using docker::object_at;

nlohmann::json event(const std::string& action, const std::string& id, const std::string& name,
                     const nlohmann::json& labels, std::int64_t time_nano) {
    return {{"type", "container"}, {"action", action}, {"id", id},
            {"name", name},        {"labels", labels}, {"time_nano", time_nano}};
}

// The die of a task that ran: its own exit code and time when it reported them, else (lost with
// its node, or already forgotten by the manager) 255 at this poll.
nlohmann::json die_event(const std::string& service_id, const TaskWatch::Seen& seen,
                         const std::string& task_id, const nlohmann::json& tasks, std::int64_t now_ns) {
    auto died = event("die", service_id, seen.name, seen.labels, now_ns);
    died["exit_code"] = 255;
    if (const auto* task = find_task(tasks, task_id)) {
        const auto& status = object_at(*task, "Status");
        if (status.value("State", "") != "running") {
            died["exit_code"] = docker::int_or_zero(object_at(status, "ContainerStatus"), "ExitCode");
            died["time_nano"] = std::max(docker::unix_nanos(status.value("Timestamp", "")), std::int64_t{1});
        }
    }
    return died;
}

// A task that Swarm stopped (state shutdown) while another task of the service runs: replaced on
// env-manager's order (an update, or a restart replacing the tasks one at a time), not an exit
// of the service, whether or not it was the reported one. A task that failed, completed or was
// lost with its node is one; so is the last task stopped (a stop, which the host expects).
bool replaced_while_another_runs(const std::string& task_id, const TaskWatch::Seen& seen,
                                 const nlohmann::json& tasks) {
    if (seen.running_task.empty()) return false;
    const auto* task = find_task(tasks, task_id);
    return task != nullptr && object_at(*task, "Status").value("State", "") == "shutdown";
}

// What changed for one service between two polls. Every task that ran and no longer does ends
// a run of the service (with several replicas, one that ends leaves a slot that only
// env-manager's restart fills); a current task that did not run before starts one.
void compare(const std::string& service_id, const TaskWatch::Seen& before, const TaskWatch::Seen& seen,
             const nlohmann::json& tasks, std::int64_t now_ns, std::vector<nlohmann::json>& events) {
    std::int64_t started = 0;
    if (!seen.running_task.empty() && !before.running_tasks.contains(seen.running_task)) {
        started = docker::unix_nanos(
            object_at(*find_task(tasks, seen.running_task), "Status").value("Timestamp", ""));
    }
    for (const auto& ran : before.running_tasks) {
        if (seen.running_tasks.contains(ran) || replaced_while_another_runs(ran, seen, tasks)) continue;
        auto died = die_event(service_id, before, ran, tasks, now_ns);
        // The old run ended before the new one began, whenever this poll learnt of it: a die
        // stamped later would read as the end of the new run.
        if (started > 0 && died["time_nano"].get<std::int64_t>() >= started) died["time_nano"] = started - 1;
        events.push_back(std::move(died));
    }
    if (started > 0) events.push_back(event("start", service_id, seen.name, seen.labels, started));
}

}  // namespace

std::vector<nlohmann::json> TaskWatch::poll(const nlohmann::json& services, const nlohmann::json& tasks,
                                            const NodeMap& nodes, std::int64_t now_ns) {
    std::vector<nlohmann::json> events;
    std::map<std::string, Seen> now;
    for (const auto& service : services) {
        const std::string id = service.value("ID", "");
        const auto& spec = object_at(service, "Spec");
        Seen seen{spec.value("Name", ""), object_at(spec, "Labels"), "", {}};
        const auto mine = tasks_of(tasks, id);
        if (const auto* task = current_task(mine, nodes); task != nullptr && task_runs(*task, nodes)) {
            seen.running_task = task->value("ID", "");
        }
        for (const auto& task : mine) {
            if (task_runs(task, nodes)) seen.running_tasks.insert(task.value("ID", ""));
        }
        if (primed_) {
            const auto before = seen_.find(id);
            compare(id, before != seen_.end() ? before->second : Seen{seen.name, seen.labels, "", {}}, seen,
                    tasks, now_ns, events);
        }
        now.emplace(id, std::move(seen));
    }
    for (const auto& [id, seen] : seen_) {
        if (now.contains(id) || !primed_) continue;
        if (!seen.running_task.empty()) {
            events.push_back(die_event(id, seen, seen.running_task, tasks, now_ns));
        }
        events.push_back(event("destroy", id, seen.name, seen.labels, now_ns));
    }
    seen_ = std::move(now);
    primed_ = true;
    std::stable_sort(events.begin(), events.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
        return a["time_nano"].get<std::int64_t>() < b["time_nano"].get<std::int64_t>();
    });
    return events;
}

}  // namespace envmgr::plugins::backends::swarm
