// container_from_service: a Swarm service and its tasks as our container document.
#include "plugins/backends/docker/engine_time.h"
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/swarm/service_mapping.h"

#include <algorithm>

namespace envmgr::plugins::backends::swarm {
namespace {

using docker::int_or_zero;
using docker::list_at;
using docker::object_at;
using docker::text_or_empty;

std::int64_t replicas_of(const nlohmann::json& service) {
    return int_or_zero(object_at(object_at(object_at(service, "Spec"), "Mode"), "Replicated"), "Replicas");
}

// Docker's container states from the task's: a task that ran and ended is an exited container,
// one on its way is created (never started) or restarting (started again).
std::string state_of(const nlohmann::json* task, const NodeMap& nodes, bool ran_before) {
    if (task == nullptr) return "created";
    if (task_runs(*task, nodes)) return "running";
    if (task_pending(*task)) return ran_before ? "restarting" : "created";
    return "exited";  // complete, failed, shutdown, rejected, orphaned, or running on a node that is down
}

// Where the task is attached: {network name: {ip_address, aliases}}, addresses without prefix.
nlohmann::json networks_of(const nlohmann::json* task) {
    auto networks = nlohmann::json::object();
    if (task == nullptr) return networks;
    for (const auto& attachment : list_at(*task, "NetworksAttachments")) {
        const std::string name = object_at(object_at(attachment, "Network"), "Spec").value("Name", "");
        const auto& addresses = list_at(attachment, "Addresses");
        std::string address =
            addresses.empty() || !addresses[0].is_string() ? "" : addresses[0].get<std::string>();
        address = address.substr(0, address.find('/'));
        if (!name.empty()) networks[name] = {{"ip_address", address}, {"aliases", nlohmann::json::array()}};
    }
    return networks;
}

nlohmann::json ports_of(const nlohmann::json& service, const std::string& node_address) {
    auto ports = nlohmann::json::array();
    for (const auto& port : list_at(object_at(object_at(service, "Spec"), "EndpointSpec"), "Ports")) {
        ports.push_back({{"container_port", int_or_zero(port, "TargetPort")},
                         {"protocol", port.value("Protocol", "tcp")},
                         {"host_ip", node_address},
                         {"host_port", int_or_zero(port, "PublishedPort")}});
    }
    return ports;
}

}  // namespace

int replicas_wanted(const nlohmann::json& service) {
    const auto written = text_or_empty(object_at(object_at(service, "Spec"), "Labels"), kReplicasLabel);
    try {
        return std::max(1, std::stoi(written));
    } catch (const std::exception&) {
        return 1;
    }
}

nlohmann::json container_from_service(const nlohmann::json& service, const nlohmann::json& tasks,
                                      const NodeMap& nodes) {
    const auto& spec = object_at(service, "Spec");
    const auto& container = object_at(object_at(spec, "TaskTemplate"), "ContainerSpec");
    const nlohmann::json* task = current_task(tasks, nodes);
    const bool ran_before = tasks.size() > 1 || (task != nullptr && !task_pending(*task));
    const std::string state = state_of(task, nodes, ran_before);
    const bool running = state == "running";
    const auto& status = task != nullptr ? object_at(*task, "Status") : object_at(service, "Status");
    const auto& container_status = object_at(status, "ContainerStatus");
    const auto time_ns = docker::unix_nanos(status.value("Timestamp", ""));
    NodeInfo node;
    if (task != nullptr) {
        if (const auto it = nodes.find(task->value("NodeID", "")); it != nodes.end()) node = it->second;
    }
    const bool ended = state == "exited";
    // A task lost with its node never reported an exit: 255, as a container the engine lost.
    const bool lost = ended && status.value("State", "") == "running";
    return {{"id", service.value("ID", "")},
            {"name", spec.value("Name", "")},
            {"image", container.value("Image", "")},
            {"image_id", ""},
            {"state", state},
            {"running", running},
            {"exit_code", lost ? 255 : int_or_zero(container_status, "ExitCode")},
            {"oom_killed", false},
            {"pid", running ? int_or_zero(container_status, "PID") : 0},
            {"restart_count", tasks.empty() ? 0 : static_cast<std::int64_t>(tasks.size()) - 1},
            {"started_at", running ? time_ns / 1'000'000'000 : 0},
            {"started_at_ns", running ? time_ns : 0},
            {"finished_at", ended ? time_ns / 1'000'000'000 : 0},
            {"labels", object_at(spec, "Labels")},
            {"tty", container.value("TTY", false)},
            {"ip_address", ""},  // an overlay address is not reachable from this host
            {"networks", networks_of(task)},
            {"ports", ports_of(service, running ? node.address : "")},
            {"health", ""},
            {"replicas", replicas_of(service)},
            {"node", running ? node.hostname : ""},
            {"node_address", running ? node.address : ""},
            {"task_id", task != nullptr ? task->value("ID", "") : ""},
            {"task_container_id", task != nullptr ? text_or_empty(container_status, "ContainerID") : ""},
            {"task_message", task != nullptr ? task_message(*task) : ""}};
}

}  // namespace envmgr::plugins::backends::swarm
