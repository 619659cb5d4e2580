// container.stop, remove, inspect, list and wait on Swarm services. Stop scales to 0 and completes
// once no task of the service is alive, with the exit code of the one that ran.
#include "plugins/backends/docker/engine_time.h"
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/swarm/swarm.h"

namespace envmgr::plugins::backends::swarm {
namespace {
namespace http = boost::beast::http;

using docker::object_at;
using docker::required_string;
using Clock = std::chrono::steady_clock;

// A task whose container runs or is on its way, whatever Swarm wants of it now.
bool task_alive(const nlohmann::json& task, const NodeMap& nodes) {
    const std::string state = object_at(task, "Status").value("State", "");
    return task_runs(task, nodes) || task_pending(task) || state == "starting" || state == "preparing";
}

// The exit code of the task that ran; when Swarm no longer keeps that one (its history holds the
// last few tasks of a slot), the newest task's.
std::int64_t exit_code_of(const nlohmann::json& tasks, const std::string& task_id, const NodeMap& nodes) {
    const auto* task = find_task(tasks, task_id);
    if (task == nullptr) task = current_task(tasks, nodes);
    return task == nullptr
               ? 0
               : docker::int_or_zero(object_at(object_at(*task, "Status"), "ContainerStatus"), "ExitCode");
}

std::chrono::seconds task_grace(const nlohmann::json& tasks, const std::string& task_id) {
    const auto* task = find_task(tasks, task_id);
    if (task == nullptr) return std::chrono::seconds(0);
    const auto& container = object_at(object_at(*task, "Spec"), "ContainerSpec");
    return std::chrono::seconds(docker::int_or_zero(container, "StopGracePeriod") / 1'000'000'000);
}

void wait_for_no_task(Swarm& swarm, const OperationPtr& op, const std::string& id, const std::string& ran,
                      Clock::time_point deadline) {
    fetch_tasks(
        swarm, op, id, [&swarm, op, id, ran, deadline](const nlohmann::json& tasks, const NodeMap& nodes) {
            const bool alive = std::any_of(tasks.begin(), tasks.end(), [&](const nlohmann::json& task) {
                return task_alive(task, nodes);
            });
            if (!alive) {
                const auto code = exit_code_of(tasks, ran, nodes);
                return swarm.manager.succeed(
                    op, {{"already_stopped", false}, {"exit_code", code}, {"killed", code == 137}});
            }
            if (Clock::now() >= deadline) {
                return swarm.manager.finish(op, ENVMGR_STATUS_TIMEOUT,
                                            "the service's task did not stop in time");
            }
            after(swarm, op, swarm.settings.start_poll_interval,
                  [&swarm, op, id, ran, deadline] { wait_for_no_task(swarm, op, id, ran, deadline); });
        });
}

void service_stop(Swarm& swarm, const OperationPtr& op) {
    const int grace = op->request.value("timeout_seconds", 10);
    if (grace < 0) throw sdk::Error(ENVMGR_STATUS_INVALID, "timeout_seconds: must be >= 0");
    fetch_service(
        swarm, op, required_string(op->request, "id"),
        [&swarm, op, grace](const nlohmann::json& service, const nlohmann::json& tasks,
                            const NodeMap& nodes) {
            const auto document = container_from_service(service, tasks, nodes);
            const bool alive = std::any_of(tasks.begin(), tasks.end(), [&](const nlohmann::json& task) {
                return task_alive(task, nodes);
            });
            if (document["replicas"] == 0 && !alive) {
                return swarm.manager.succeed(
                    op, {{"already_stopped", true}, {"exit_code", document["exit_code"]}, {"killed", false}});
            }
            const std::string id = service.value("ID", "");
            // A running task keeps the grace period it was made with: the longer one bounds the stop.
            const auto deadline =
                Clock::now() + swarm.manager.timeout() +
                std::max(std::chrono::seconds(grace), task_grace(tasks, document["task_id"]));
            update_service(
                swarm, op, service,
                [grace](nlohmann::json& spec) {
                    spec["Mode"]["Replicated"]["Replicas"] = 0;
                    spec["TaskTemplate"]["ContainerSpec"]["StopGracePeriod"] =
                        std::int64_t{grace} * 1'000'000'000;
                },
                [&swarm, op, id, ran = document["task_id"].get<std::string>(), deadline] {
                    wait_for_no_task(swarm, op, id, ran, deadline);
                });
        });
}

void service_remove(Swarm& swarm, const OperationPtr& op) {
    swarm.manager.call(
        op,
        swarm.manager.make(http::verb::delete_,
                           "/services/" + docker::url_encode(required_string(op->request, "id"))),
        [&swarm, op](const HttpResponse&) { swarm.manager.succeed(op, nlohmann::json::object()); });
}

void service_inspect(Swarm& swarm, const OperationPtr& op) {
    fetch_service(
        swarm, op, required_string(op->request, "id"),
        [&swarm, op](const nlohmann::json& service, const nlohmann::json& tasks, const NodeMap& nodes) {
            swarm.manager.succeed(op, container_from_service(service, tasks, nodes));
        });
}

void service_list(Swarm& swarm, const OperationPtr& op) {
    const bool all = op->request.value("all", true);
    fetch_services(
        swarm, op, docker::string_map(op->request, "labels"),
        [&swarm, op, all](const nlohmann::json& services, const nlohmann::json& tasks, const NodeMap& nodes) {
            auto containers = nlohmann::json::array();
            for (const auto& service : services) {
                const auto document =
                    container_from_service(service, tasks_of(tasks, service.value("ID", "")), nodes);
                if (!all && !document["running"].get<bool>()) continue;
                containers.push_back({{"id", document["id"]},
                                      {"name", document["name"]},
                                      {"image", document["image"]},
                                      {"state", document["state"]},
                                      {"status", document["task_message"]},
                                      {"created", docker::unix_seconds(service.value("CreatedAt", ""))},
                                      {"labels", document["labels"]},
                                      {"ports", document["ports"]},
                                      {"node", document["node"]}});
            }
            swarm.manager.succeed(op, {{"containers", containers}});
        });
}

void poll_until_ended(Swarm& swarm, const OperationPtr& op, const std::string& id,
                      std::optional<Clock::time_point> deadline) {
    fetch_service(swarm, op, id,
                  [&swarm, op, id, deadline](const nlohmann::json& service, const nlohmann::json& tasks,
                                             const NodeMap& nodes) {
                      const auto document = container_from_service(service, tasks, nodes);
                      if (document["state"] != "running" && document["state"] != "restarting") {
                          return swarm.manager.succeed(op, {{"exit_code", document["exit_code"]}});
                      }
                      if (deadline && Clock::now() >= *deadline) {
                          return swarm.manager.finish(op, ENVMGR_STATUS_TIMEOUT,
                                                      "the service's task still runs");
                      }
                      after(swarm, op, swarm.settings.poll_interval,
                            [&swarm, op, id, deadline] { poll_until_ended(swarm, op, id, deadline); });
                  });
}

void service_wait(Swarm& swarm, const OperationPtr& op) {
    const auto timeout = docker::bounded_timeout(op->request.value("timeout_ms", std::int64_t{0}),
                                                 std::chrono::milliseconds{0});
    std::optional<Clock::time_point> deadline;
    if (timeout.count() > 0) deadline = Clock::now() + timeout;
    poll_until_ended(swarm, op, required_string(op->request, "id"), deadline);
}

}  // namespace

void add_service_operations(SwarmTable& table) {
    table.emplace("container.stop", &service_stop);
    table.emplace("container.remove", &service_remove);
    table.emplace("container.inspect", &service_inspect);
    table.emplace("container.list", &service_list);
    table.emplace("container.wait", &service_wait);
}

}  // namespace envmgr::plugins::backends::swarm
