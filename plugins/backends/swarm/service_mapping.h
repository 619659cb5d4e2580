// Swarm services between our documents (container-spec.md, backend-operations.md) and the
// engine's: one env-manager container is one Swarm service, and its "container" is the
// service's current task. Pure functions, unit tested without a swarm.
#pragma once

#include <envmgr/sdk/documents/container_spec.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace envmgr::plugins::backends::swarm {

struct ServiceSettings {
    std::string endpoint_mode = "dnsrr";  // dnsrr works without IPVS; vip needs it
    // Placement constraints by service name (the env-manager.service label), e.g.
    // {"node-a": ["node.labels.gpu == true"]}.
    std::map<std::string, std::vector<std::string>> placement;
    // addresses = "node": dependencies are reached at their node's address and published port,
    // written into the environment at each start (node_addresses.h), not over the overlay.
    bool node_addresses = false;
};

// The service label that keeps a service's environment as its definition gave it (addresses =
// "node"), so that each start resolves its dependencies' addresses anew: they move with their tasks.
inline constexpr const char* kDefinitionEnvLabel = "env-manager.env";

// The service label that keeps how many replicas a start runs (the service is created at 0).
inline constexpr const char* kReplicasLabel = "env-manager.replicas";
// That count, 1 when the label is missing or garbled.
int replicas_wanted(const nlohmann::json& service);

// POST /services/create body: replicas 0 (created, not started), Swarm never restarts a task
// (env-manager owns restarts), ports published in host mode on the task's node. Throws
// sdk::Error(INVALID) naming a field a swarm cannot honour.
nlohmann::json service_create_body(const sdk::ContainerSpec& spec, const ServiceSettings& settings);

// How Swarm replaces a service's tasks when its definition changes: the new task first
// ("start-first") only where two copies side by side are harmless, with no port published on
// the node (both would bind it), no writable volume or bind mount (both would write it) and no
// GPUs or memory reserved (the new task would wait for the old one's); else the old task stops
// first. One task at a time; a new task that fails pauses the update.
nlohmann::json update_config_body(const sdk::ContainerSpec& spec);
// The spec POST /services/{id}/update takes for a changed definition: the new one, at the
// replicas it runs now (0 when stopped, else the new count), keeping the service's name. Its
// ForceUpdate counter moves on, so Swarm replaces every task even when only a label changed: a
// changed definition runs in new tasks, as on one engine in a new container (a dependent's hash
// moves with its dependency's, and its process holds connections to the old one). Throws
// sdk::Error(INVALID) for a change of name.
nlohmann::json service_update_spec(const nlohmann::json& current_spec, const sdk::ContainerSpec& spec,
                                   const ServiceSettings& settings, bool running);

// What a node is to a task's container document.
struct NodeInfo {
    std::string hostname;
    std::string address;  // Status.Addr: where its host-mode ports answer
    bool ready = false;   // Status.State == "ready"
};
using NodeMap = std::map<std::string, NodeInfo>;  // node ID -> node
NodeMap nodes_from_list(const nlohmann::json& nodes);

// The task that stands for the service's container: one that runs and Swarm wants running, else
// one that runs (a stop's grace period), else the newest by its status time; null when none.
const nlohmann::json* current_task(const nlohmann::json& tasks, const NodeMap& nodes);
// A task whose container runs on a node that is up, whatever Swarm wants of it now.
bool task_runs(const nlohmann::json& task, const NodeMap& nodes);
// A task Swarm wants running (not one being stopped or removed).
bool task_wanted(const nlohmann::json& task);
// A task that has not run yet and may still (new .. starting).
bool task_pending(const nlohmann::json& task);

// Our container document for GET /services/{id} and its tasks (GET /tasks?filters=service).
nlohmann::json container_from_service(const nlohmann::json& service, const nlohmann::json& tasks,
                                      const NodeMap& nodes);

// Swarm's words on a task: its error, else its message.
std::string task_message(const nlohmann::json& task);
// The task of that ID, or null.
const nlohmann::json* find_task(const nlohmann::json& tasks, const std::string& id);

// The tasks of one service, out of every task.
nlohmann::json tasks_of(const nlohmann::json& tasks, const std::string& service_id);

}  // namespace envmgr::plugins::backends::swarm
