// container.create, start and update on a Swarm service. Created means 0 replicas; start scales to
// the service's replicas (or, when its tasks have ended, makes Swarm run new ones: Swarm restarts
// none) and completes once they run, as a container's start completes once it runs. An update
// puts a changed definition in place and, on a service that runs, completes once its tasks run it.
#include "plugins/backends/docker/container_mapping.h"
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/docker/query_encoding.h"
#include "plugins/backends/docker/request_fields.h"
#include "plugins/backends/swarm/node_addresses.h"
#include "plugins/backends/swarm/swarm.h"

#include <algorithm>
#include <set>

namespace envmgr::plugins::backends::swarm {
namespace {
namespace http = boost::beast::http;

using docker::object_at;
using docker::required_string;

void service_create(Swarm& swarm, const OperationPtr& op) {
    const auto spec = docker::container_spec_of(op->request);
    HttpRequest request = swarm.manager.make(http::verb::post, "/services/create");
    const auto service = service_create_body(spec, swarm.settings.services);
    add_registry_auth(swarm, request, service);
    request.body = service.dump();
    swarm.manager.call(op, std::move(request), [&swarm, op](const HttpResponse& response) {
        const auto body = nlohmann::json::parse(response.body);
        swarm.manager.succeed(
            op, {{"id", body.value("ID", "")}, {"warnings", docker::list_at(body, "Warnings")}});
    });
}

// What a start waits for: `wanted` tasks that were not there before it, each running (or run
// and completed), by the deadline.
struct NewTasks {
    std::string service_id;
    std::set<std::string> before;
    int wanted = 1;
    std::chrono::steady_clock::time_point deadline;
    nlohmann::json result = {{"already_running", false}};  // the operation's, once they run
};

void wait_for_new_tasks(Swarm& swarm, const OperationPtr& op, const NewTasks& goal) {
    fetch_tasks(
        swarm, op, goal.service_id, [&swarm, op, goal](const nlohmann::json& tasks, const NodeMap& nodes) {
            std::string last = "no task yet";
            int ran = 0;
            for (const auto& task : tasks) {
                if (goal.before.contains(task.value("ID", ""))) continue;
                const std::string state = object_at(task, "Status").value("State", "");
                if (state == "failed" || state == "rejected" || state == "shutdown" || state == "orphaned" ||
                    state == "remove") {  // it will never run: say so now, not at the deadline
                    return swarm.manager.finish(op, ENVMGR_STATUS_INTERNAL,
                                                "the service's task did not start: " + task_words(task));
                }
                if (task_runs(task, nodes) || state == "complete") {
                    ++ran;
                } else {
                    last = task_words(task);
                }
            }
            if (ran >= goal.wanted) return swarm.manager.succeed(op, goal.result);
            if (std::chrono::steady_clock::now() >= goal.deadline) {
                return swarm.manager.finish(op, ENVMGR_STATUS_TIMEOUT,
                                            std::to_string(ran) + " of " + std::to_string(goal.wanted) +
                                                " task(s) of the service ran in time (" + last + ")");
            }
            after(swarm, op, swarm.settings.start_poll_interval,
                  [&swarm, op, goal] { wait_for_new_tasks(swarm, op, goal); });
        });
}

using Addresses = std::map<std::string, std::string>;

// addresses = "node": where the tenant's other services that run publish their ports, then
// next(them); otherwise next({}) at once.
void with_published_addresses(Swarm& swarm, const OperationPtr& op, const nlohmann::json& service,
                              std::function<void(const Addresses&)> next) {
    if (!swarm.settings.services.node_addresses) return next({});
    const auto& labels = object_at(object_at(service, "Spec"), "Labels");
    fetch_services(swarm, op, {{"env-manager.tenant", docker::text_or_empty(labels, "env-manager.tenant")}},
                   [id = service.value("ID", ""), next = std::move(next)](
                       const nlohmann::json& services, const nlohmann::json& tasks, const NodeMap& nodes) {
                       auto others = nlohmann::json::array();
                       for (const auto& other : services) {
                           if (other.value("ID", "") != id) others.push_back(other);
                       }
                       next(published_addresses(others, tasks, nodes));
                   });
}

// The definition's environment (kept in a label) with those addresses written in.
void resolve_env(nlohmann::json& spec, const Addresses& addresses) {
    const auto written = nlohmann::json::parse(
        docker::text_or_empty(object_at(spec, "Labels"), kDefinitionEnvLabel), nullptr, false);
    if (!written.is_array()) return;  // addresses = "overlay", or a service made before the setting
    spec["TaskTemplate"]["ContainerSpec"]["Env"] =
        env_with_addresses(written.get<std::vector<std::string>>(), addresses);
}

// Scales a service that never ran (or was stopped) to its replicas; one whose tasks ended gets new
// ones (ForceUpdate): Swarm restarts none by itself.
void run_new_tasks(nlohmann::json& spec, int replicas) {
    auto& replicated = spec["Mode"]["Replicated"];
    if (replicated.value("Replicas", 0) == 0) {
        replicated["Replicas"] = replicas;
    } else {
        auto& task = spec["TaskTemplate"];
        task["ForceUpdate"] = task.value("ForceUpdate", 0) + 1;
    }
}

void service_start(Swarm& swarm, const OperationPtr& op) {
    const auto deadline = std::chrono::steady_clock::now() + swarm.manager.timeout();
    fetch_service(swarm, op, required_string(op->request, "id"),
                  [&swarm, op, deadline](const nlohmann::json& service, const nlohmann::json& tasks,
                                         const NodeMap& nodes) {
                      NewTasks goal{service.value("ID", ""), {}, replicas_wanted(service), deadline};
                      int running = 0;
                      bool pending = false;
                      for (const auto& task : tasks) {
                          if (task_runs(task, nodes) && task_wanted(task)) {
                              ++running;
                          } else if (task_pending(task)) {
                              pending = true;
                          } else {
                              goal.before.insert(task.value("ID", ""));  // ran, or never will
                          }
                      }
                      if (running >= goal.wanted) {
                          return swarm.manager.succeed(op, {{"already_running", true}});
                      }
                      if (pending) {  // a start already on its way: wait for it with the running ones
                          return wait_for_new_tasks(swarm, op, goal);
                      }
                      goal.before = task_ids(tasks);
                      with_published_addresses(
                          swarm, op, service, [&swarm, op, service, goal](const Addresses& addresses) {
                              update_service(
                                  swarm, op, service,
                                  [replicas = goal.wanted, addresses](nlohmann::json& spec) {
                                      resolve_env(spec, addresses);
                                      run_new_tasks(spec, replicas);
                                  },
                                  [&swarm, op, goal] { wait_for_new_tasks(swarm, op, goal); });
                          });
                  });
}

void service_update(Swarm& swarm, const OperationPtr& op) {
    const auto spec = docker::container_spec_of(op->request);
    const auto deadline = std::chrono::steady_clock::now() + swarm.manager.timeout();
    fetch_service(
        swarm, op, required_string(op->request, "id"),
        [&swarm, op, spec, deadline](const nlohmann::json& service, const nlohmann::json& tasks,
                                     const NodeMap& nodes) {
            const bool running = std::any_of(tasks.begin(), tasks.end(), [&](const nlohmann::json& task) {
                return (task_runs(task, nodes) && task_wanted(task)) || task_pending(task);
            });
            const auto next =
                service_update_spec(object_at(service, "Spec"), spec, swarm.settings.services, running);
            const NewTasks goal{
                service.value("ID", ""), task_ids(tasks), spec.replicas, deadline, {{"running", true}}};
            with_published_addresses(swarm, op, service,
                                     [&swarm, op, service, next, running, goal](const Addresses& addresses) {
                                         update_service(
                                             swarm, op, service,
                                             [next, addresses](nlohmann::json& edited) {
                                                 edited = next;
                                                 resolve_env(edited, addresses);
                                             },
                                             [&swarm, op, running, goal] {
                                                 if (!running) {
                                                     return swarm.manager.succeed(op, {{"running", false}});
                                                 }
                                                 wait_for_new_tasks(swarm, op, goal);
                                             });
                                     });
        });
}

}  // namespace

void add_service_start_operations(SwarmTable& table) {
    table.emplace("container.create", &service_create);
    table.emplace("container.start", &service_start);
    table.emplace("container.update", &service_update);
}

}  // namespace envmgr::plugins::backends::swarm
