#include "plugins/backends/swarm/node_addresses.h"

#include "plugins/backends/docker/json_access.h"

#include <cctype>

namespace envmgr::plugins::backends::swarm {
namespace {

using docker::int_or_zero;
using docker::list_at;
using docker::object_at;

bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.';
}

std::string replaced(std::string value, const std::string& from, const std::string& to) {
    for (std::size_t at = value.find(from); at != std::string::npos; at = value.find(from, at)) {
        const std::size_t end = at + from.size();
        const bool whole = (at == 0 || !name_char(value[at - 1])) &&
                           (end == value.size() || std::isdigit(static_cast<unsigned char>(value[end])) == 0);
        if (!whole) {
            at = end;
            continue;
        }
        value.replace(at, from.size(), to);
        at += to.size();
    }
    return value;
}

}  // namespace

std::map<std::string, std::string> published_addresses(const nlohmann::json& services,
                                                       const nlohmann::json& tasks, const NodeMap& nodes) {
    std::map<std::string, std::string> addresses;
    for (const auto& service : services) {
        const auto& spec = object_at(service, "Spec");
        const std::string name = docker::text_or_empty(object_at(spec, "Labels"), "env-manager.service");
        const auto mine = tasks_of(tasks, service.value("ID", ""));
        const auto* task = current_task(mine, nodes);  // points into mine
        if (name.empty() || task == nullptr || !task_runs(*task, nodes)) continue;
        const std::string node_address = nodes.at(task->value("NodeID", "")).address;
        for (const auto& port : list_at(object_at(spec, "EndpointSpec"), "Ports")) {
            if (int_or_zero(port, "PublishedPort") == 0) continue;
            addresses[name + ":" + std::to_string(int_or_zero(port, "TargetPort"))] =
                node_address + ":" + std::to_string(int_or_zero(port, "PublishedPort"));
        }
    }
    return addresses;
}

std::vector<std::string> env_with_addresses(const std::vector<std::string>& env,
                                            const std::map<std::string, std::string>& addresses) {
    std::vector<std::string> resolved;
    resolved.reserve(env.size());
    for (const auto& entry : env) {
        const auto equals = entry.find('=');
        if (equals == std::string::npos) {
            resolved.push_back(entry);
            continue;
        }
        std::string value = entry.substr(equals + 1);
        for (const auto& [from, to] : addresses) value = replaced(value, from, to);
        resolved.push_back(entry.substr(0, equals + 1) + value);
    }
    return resolved;
}

}  // namespace envmgr::plugins::backends::swarm
