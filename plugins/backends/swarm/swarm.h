// What every operation of backend.swarm works with: the manager's engine, the engines of the
// nodes that were configured (exec and stats run there), the settings, and the calls the
// operations share (a service with its tasks and nodes, polling).
#pragma once

#include "plugins/backends/docker/engine_api.h"
#include "plugins/backends/swarm/service_mapping.h"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>

namespace envmgr::plugins::backends::swarm {

using docker::EngineApi;
using docker::HttpRequest;
using docker::HttpResponse;
using docker::OperationPtr;

struct SwarmSettings {
    ServiceSettings services;
    std::chrono::milliseconds poll_interval{250};       // task states for events.stream and container.wait
    std::chrono::milliseconds start_poll_interval{50};  // while a start or stop waits for its task
};

struct Swarm {
    EngineApi& manager;
    const SwarmSettings& settings;
    std::map<std::string, std::unique_ptr<EngineApi>>& node_engines;  // node host name -> its engine
};

// GET /services/{id}, its tasks and the nodes; then next(service, tasks, nodes). Failures end op.
using ServiceView =
    std::function<void(const nlohmann::json& service, const nlohmann::json& tasks, const NodeMap&)>;
void fetch_service(Swarm& swarm, const OperationPtr& op, const std::string& id, ServiceView next);
// The tasks of one service (or every task, id ""), and the nodes; then next(tasks, nodes). A
// failed call ends op unless on_error claims it.
using TasksView = std::function<void(const nlohmann::json& tasks, const NodeMap&)>;
void fetch_tasks(Swarm& swarm, const OperationPtr& op, const std::string& service_id, TasksView next,
                 const EngineApi::ErrorHandler& on_error = {});
// The services with every label (key=value, or key alone), every task and the nodes; then
// next(services, tasks, nodes). A failed call ends op unless on_error claims it.
using ServicesView =
    std::function<void(const nlohmann::json& services, const nlohmann::json& tasks, const NodeMap&)>;
void fetch_services(Swarm& swarm, const OperationPtr& op, const std::map<std::string, std::string>& labels,
                    ServicesView next, const EngineApi::ErrorHandler& on_error = {});

// Runs step after interval, on the io thread, unless the operation ended; the timer is
// cancelled when it ends.
void after(Swarm& swarm, const OperationPtr& op, std::chrono::milliseconds interval,
           std::function<void()> step);

// Each node pulls a service's image itself, with the credentials the manager passes on: those
// configured for the image's registry (registry_auth), as X-Registry-Auth of a create or update.
void add_registry_auth(const Swarm& swarm, HttpRequest& request, const nlohmann::json& service_spec);

// POST /services/{id}/update of the spec read with the service, changed by edit; then next. An
// update refused as out of sequence is made again on the service read anew, up to tries times.
void update_service(Swarm& swarm, const OperationPtr& op, const nlohmann::json& service,
                    const std::function<void(nlohmann::json& spec)>& edit, const std::function<void()>& next,
                    int tries = 5);
std::set<std::string> task_ids(const nlohmann::json& tasks);
// "state: the engine's words" of a task, for messages.
std::string task_words(const nlohmann::json& task);

// backend.docker's own handler of op, on the manager's engine.
void on_manager(Swarm& swarm, const OperationPtr& op);

// backend.swarm's operations, by name.
using SwarmHandler = std::function<void(Swarm&, const OperationPtr&)>;
using SwarmTable = std::unordered_map<std::string, SwarmHandler>;
void add_service_start_operations(SwarmTable& table);  // container.create, start
void add_service_operations(SwarmTable& table);        // container.stop, remove, inspect, list, wait
void add_task_operations(SwarmTable& table);           // container.logs, exec, stats, run
void add_swarm_events(SwarmTable& table);              // events.stream
void add_swarm_objects(SwarmTable& table);             // network.*, volume.*, system.*, image.*
const SwarmTable& swarm_table();

}  // namespace envmgr::plugins::backends::swarm
