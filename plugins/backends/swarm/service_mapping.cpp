#include "plugins/backends/swarm/service_mapping.h"

#include "plugins/backends/docker/engine_time.h"
#include "plugins/backends/docker/json_access.h"

#include <envmgr/sdk/status.h>

#include <algorithm>
#include <cmath>

namespace envmgr::plugins::backends::swarm {
namespace {

using docker::object_at;

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;

void refuse_what_a_swarm_cannot_honour(const sdk::ContainerSpec& spec) {
    if (!spec.process.security_opt.empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID,
                         "spec.process.security_opt: a Swarm service takes no security options");
    }
    if (spec.gpu.count < 0 || !spec.gpu.device_ids.empty()) {
        throw sdk::Error(
            ENVMGR_STATUS_INVALID,
            "spec.gpu: on a swarm GPUs are reserved by count (generic resources), not all or by id");
    }
}

nlohmann::json container_spec_body(const sdk::ContainerSpec& spec) {
    nlohmann::json body{{"Image", spec.image}, {"Init", spec.init}, {"TTY", spec.tty}};
    // Swarm's Command is the entrypoint and its Args the command, as `docker service create`.
    if (!spec.entrypoint.empty()) body["Command"] = spec.entrypoint;
    if (!spec.command.empty()) body["Args"] = spec.command;
    auto env = nlohmann::json::array();
    for (const auto& [name, value] : spec.env) env.push_back(name + "=" + value);
    body["Env"] = env;
    auto mounts = nlohmann::json::array();
    for (const auto& mount : spec.mounts) {
        nlohmann::json entry{{"Type", mount.type}, {"Target", mount.target}, {"ReadOnly", mount.read_only}};
        if (mount.type != "tmpfs") entry["Source"] = mount.source;
        if (mount.type == "tmpfs" && mount.tmpfs_size_bytes > 0) {
            entry["TmpfsOptions"] = {{"SizeBytes", mount.tmpfs_size_bytes}};
        }
        mounts.push_back(std::move(entry));
    }
    body["Mounts"] = mounts;
    const auto& process = spec.process;
    if (!process.user.empty()) body["User"] = process.user;
    if (!process.working_dir.empty()) body["Dir"] = process.working_dir;
    if (process.read_only) body["ReadOnly"] = true;
    if (!process.cap_add.empty()) body["CapabilityAdd"] = process.cap_add;
    if (!process.cap_drop.empty()) body["CapabilityDrop"] = process.cap_drop;
    if (!process.stop_signal.empty()) body["StopSignal"] = process.stop_signal;
    auto hosts = nlohmann::json::array();  // "name:address" -> Swarm's "address name"
    for (const auto& line : process.extra_hosts) {
        const auto colon = line.find(':');
        hosts.push_back(colon == std::string::npos ? line
                                                   : line.substr(colon + 1) + " " + line.substr(0, colon));
    }
    if (!hosts.empty()) body["Hosts"] = hosts;
    body["StopGracePeriod"] = spec.stop_timeout_seconds * kNanosPerSecond;
    return body;
}

nlohmann::json resources_body(const sdk::ContainerSpec& spec) {
    nlohmann::json limits = nlohmann::json::object();
    if (spec.resources.cpus > 0) {
        limits["NanoCPUs"] = static_cast<std::int64_t>(std::llround(spec.resources.cpus * 1e9));
    }
    if (spec.resources.memory_bytes > 0) limits["MemoryBytes"] = spec.resources.memory_bytes;
    nlohmann::json reservations = nlohmann::json::object();
    if (spec.resources.memory_reservation_bytes > 0) {
        reservations["MemoryBytes"] = spec.resources.memory_reservation_bytes;
    }
    if (spec.gpu.count > 0) {  // a node offers them as generic resources (dockerd --node-generic-resource)
        reservations["GenericResources"] = {
            {{"DiscreteResourceSpec", {{"Kind", "NVIDIA-GPU"}, {"Value", spec.gpu.count}}}}};
    }
    return {{"Limits", limits}, {"Reservations", reservations}};
}

nlohmann::json endpoint_body(const sdk::ContainerSpec& spec, const ServiceSettings& settings) {
    auto ports = nlohmann::json::array();
    for (const auto& port : spec.ports) {
        if (port.host_port == 0) continue;  // dnsrr and the overlay reach it unpublished
        ports.push_back({{"Protocol", port.protocol},
                         {"TargetPort", port.container_port},
                         {"PublishedPort", port.host_port},
                         {"PublishMode", "host"}});
    }
    return {{"Mode", settings.endpoint_mode}, {"Ports", ports}};
}

// The definition's constraints and those the backend's settings add for the service.
nlohmann::json placement_body(const sdk::ContainerSpec& spec, const ServiceSettings& settings) {
    auto constraints = spec.placement;
    const auto service_label = spec.labels.find("env-manager.service");
    if (service_label != spec.labels.end()) {
        if (const auto it = settings.placement.find(service_label->second); it != settings.placement.end()) {
            constraints.insert(constraints.end(), it->second.begin(), it->second.end());
        }
    }
    auto preferences = nlohmann::json::array();
    for (const auto& descriptor : spec.placement_preferences) {
        preferences.push_back({{"Spread", {{"SpreadDescriptor", descriptor}}}});
    }
    return {{"Constraints", constraints}, {"Preferences", preferences}};
}

}  // namespace

nlohmann::json service_create_body(const sdk::ContainerSpec& spec, const ServiceSettings& settings) {
    refuse_what_a_swarm_cannot_honour(spec);
    nlohmann::json task{{"ContainerSpec", container_spec_body(spec)},
                        {"Resources", resources_body(spec)},
                        {"RestartPolicy", {{"Condition", "none"}}},
                        {"ForceUpdate", 0}};
    task["Placement"] = placement_body(spec, settings);
    if (!spec.network.empty()) {
        task["Networks"] = {{{"Target", spec.network}, {"Aliases", spec.network_aliases}}};
    }
    auto labels = spec.labels;
    labels[kReplicasLabel] = std::to_string(spec.replicas);  // what a start scales to
    if (settings.node_addresses) labels[kDefinitionEnvLabel] = task["ContainerSpec"]["Env"].dump();
    return {{"Name", spec.name},
            {"Labels", labels},
            {"TaskTemplate", task},
            {"Mode", {{"Replicated", {{"Replicas", 0}}}}},
            {"UpdateConfig", update_config_body(spec)},
            {"EndpointSpec", endpoint_body(spec, settings)}};
}

NodeMap nodes_from_list(const nlohmann::json& nodes) {
    NodeMap map;
    for (const auto& node : nodes) {
        const auto& status = object_at(node, "Status");
        // Only a node Swarm gave up on is not ready: after a change of leader every node is
        // "unknown" until it reports again, and its tasks still run.
        const std::string state = status.value("State", "");
        std::string address = status.value("Addr", "");
        if (address.empty() || address == "0.0.0.0" || address == "127.0.0.1") {
            // A manager may report no address of its own here (moby#35437): its raft address is.
            const std::string raft = docker::text_or_empty(object_at(node, "ManagerStatus"), "Addr");
            if (!raft.empty()) address = raft.substr(0, raft.rfind(':'));
        }
        map[node.value("ID", "")] = {object_at(node, "Description").value("Hostname", ""), address,
                                     state != "down" && state != "disconnected"};
    }
    return map;
}

bool task_runs(const nlohmann::json& task, const NodeMap& nodes) {
    const auto node = nodes.find(task.value("NodeID", ""));
    return object_at(task, "Status").value("State", "") == "running" && node != nodes.end() &&
           node->second.ready;
}

bool task_wanted(const nlohmann::json& task) {
    return task.value("DesiredState", "") == "running";
}

bool task_pending(const nlohmann::json& task) {
    static const std::vector<std::string> pending{"new",      "allocated", "pending", "assigned",
                                                  "accepted", "preparing", "ready",   "starting"};
    const std::string state = object_at(task, "Status").value("State", "");
    return task.value("DesiredState", "") == "running" &&
           std::find(pending.begin(), pending.end(), state) != pending.end();
}

const nlohmann::json* current_task(const nlohmann::json& tasks, const NodeMap& nodes) {
    for (const auto& task : tasks) {
        if (task_runs(task, nodes) && task_wanted(task)) return &task;
    }
    const nlohmann::json* newest = nullptr;
    std::int64_t newest_time = -1;
    for (const auto& task : tasks) {
        if (task_runs(task, nodes)) return &task;  // one being stopped still runs
        const auto time = docker::unix_nanos(object_at(task, "Status").value("Timestamp", ""));
        if (time > newest_time) {
            newest = &task;
            newest_time = time;
        }
    }
    return newest;
}

std::string task_message(const nlohmann::json& task) {
    const auto& status = object_at(task, "Status");
    const std::string err = docker::text_or_empty(status, "Err");
    return err.empty() ? docker::text_or_empty(status, "Message") : err;
}

const nlohmann::json* find_task(const nlohmann::json& tasks, const std::string& id) {
    for (const auto& task : tasks) {
        if (task.value("ID", "") == id) return &task;
    }
    return nullptr;
}

nlohmann::json tasks_of(const nlohmann::json& tasks, const std::string& service_id) {
    auto mine = nlohmann::json::array();
    for (const auto& task : tasks) {
        if (task.value("ServiceID", "") == service_id) mine.push_back(task);
    }
    return mine;
}

}  // namespace envmgr::plugins::backends::swarm
