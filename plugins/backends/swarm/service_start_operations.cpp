// container.create and start on a Swarm service. Created means 0 replicas; start scales to 1
// (or, when its task has ended, makes Swarm run a new one: Swarm restarts none) and completes
// once the new task runs, as a container's start completes once it runs.
#include "plugins/backends/docker/container_mapping.h"
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/swarm/swarm.h"

#include <set>

namespace envmgr::plugins::backends::swarm {
namespace {
namespace http = boost::beast::http;

using docker::object_at;
using docker::required_string;

void service_create(Swarm& swarm, const OperationPtr& op) {
    const auto spec = docker::container_spec_of(op->request);
    HttpRequest request = swarm.manager.make(http::verb::post, "/services/create");
    request.body = service_create_body(spec, swarm.settings.services).dump();
    swarm.manager.call(op, std::move(request), [&swarm, op](const HttpResponse& response) {
        const auto body = nlohmann::json::parse(response.body);
        swarm.manager.succeed(
            op, {{"id", body.value("ID", "")}, {"warnings", docker::list_at(body, "Warnings")}});
    });
}

// Polls until a task that was not there before the update runs (or ran and completed).
void wait_for_new_task(Swarm& swarm, const OperationPtr& op, const std::string& id,
                       const std::set<std::string>& before, std::chrono::steady_clock::time_point deadline) {
    fetch_tasks(
        swarm, op, id, [&swarm, op, id, before, deadline](const nlohmann::json& tasks, const NodeMap& nodes) {
            std::string last = "no task yet";
            for (const auto& task : tasks) {
                if (before.contains(task.value("ID", ""))) continue;
                const std::string state = object_at(task, "Status").value("State", "");
                if (task_runs(task, nodes) || state == "complete") {
                    return swarm.manager.succeed(op, {{"already_running", false}});
                }
                if (state == "failed" || state == "rejected") {
                    return swarm.manager.finish(op, ENVMGR_STATUS_INTERNAL,
                                                "the service's task did not start: " + task_words(task));
                }
                last = task_words(task);
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                return swarm.manager.finish(op, ENVMGR_STATUS_TIMEOUT,
                                            "no task of the service ran in time (" + last + ")");
            }
            after(swarm, op, swarm.settings.start_poll_interval,
                  [&swarm, op, id, before, deadline] { wait_for_new_task(swarm, op, id, before, deadline); });
        });
}

void service_start(Swarm& swarm, const OperationPtr& op) {
    const auto deadline = std::chrono::steady_clock::now() + swarm.manager.timeout();
    fetch_service(swarm, op, required_string(op->request, "id"),
                  [&swarm, op, deadline](const nlohmann::json& service, const nlohmann::json& tasks,
                                         const NodeMap& nodes) {
                      const std::string id = service.value("ID", "");
                      std::set<std::string> settled;  // tasks that ran or will not
                      bool pending = false;
                      for (const auto& task : tasks) {
                          if (task_runs(task, nodes)) {
                              return swarm.manager.succeed(op, {{"already_running", true}});
                          }
                          if (task_pending(task)) {
                              pending = true;
                          } else {
                              settled.insert(task.value("ID", ""));
                          }
                      }
                      if (pending) return wait_for_new_task(swarm, op, id, settled, deadline);
                      update_service(
                          swarm, op, service,
                          [](nlohmann::json& spec) {
                              auto& replicated = spec["Mode"]["Replicated"];
                              if (replicated.value("Replicas", 0) == 0) {
                                  replicated["Replicas"] = 1;
                              } else {  // its task ended and Swarm restarts none: a new one
                                  auto& task = spec["TaskTemplate"];
                                  task["ForceUpdate"] = task.value("ForceUpdate", 0) + 1;
                              }
                          },
                          [&swarm, op, id, before = task_ids(tasks), deadline] {
                              wait_for_new_task(swarm, op, id, before, deadline);
                          });
                  });
}

}  // namespace

void add_service_start_operations(SwarmTable& table) {
    table.emplace("container.create", &service_create);
    table.emplace("container.start", &service_start);
}

}  // namespace envmgr::plugins::backends::swarm
