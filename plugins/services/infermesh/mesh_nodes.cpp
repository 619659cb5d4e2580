#include "plugins/services/infermesh/mesh_nodes.h"

#include <algorithm>
#include <charconv>
#include <set>

namespace envmgr::plugins::services::infermesh {
namespace {

constexpr std::string_view kNodePrefix = "infermesh-node-";

bool is_node(const std::string& name, const nlohmann::json& definition) {
    const auto labels = definition.value("labels", nlohmann::json::object());
    if (labels.is_object() && labels.contains("infermesh.role")) return labels["infermesh.role"] == "node";
    return name.starts_with(kNodePrefix);
}

int node_port(const nlohmann::json& definition) {
    const auto env = definition.value("env", nlohmann::json::object());
    if (env.is_object() && env.contains("MESH_PORT") && env["MESH_PORT"].is_string()) {
        const std::string text = env["MESH_PORT"];
        int port = 0;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), port);
        if (error == std::errc() && end == text.data() + text.size() && port > 0 && port < 65536) return port;
    }
    return 9000;  // InferMesh's own default
}

}  // namespace

std::vector<MeshNode> mesh_nodes(const nlohmann::json& definitions_by_name) {
    std::vector<MeshNode> nodes;
    if (!definitions_by_name.is_object()) return nodes;
    for (const auto& [name, definition] : definitions_by_name.items()) {
        if (definition.is_object() && is_node(name, definition)) {
            nodes.push_back({name, node_port(definition)});
        }
    }
    std::sort(nodes.begin(), nodes.end(), [](const auto& a, const auto& b) { return a.service < b.service; });
    return nodes;
}

std::string mesh_nodes_value(const std::vector<MeshNode>& nodes) {
    std::string value;
    for (const auto& node : nodes) {
        if (!value.empty()) value += ',';
        value += node.service + ":" + std::to_string(node.port);
    }
    return value;
}

nlohmann::json router_resolution(const nlohmann::json& context) {
    const auto definitions = context.value("definitions", nlohmann::json::object());
    const auto nodes = mesh_nodes(definitions);
    std::set<std::string> node_names;
    for (const auto& node : nodes) node_names.insert(node.service);

    auto depends_on = nlohmann::json::array();
    const auto own = context.value("definition", nlohmann::json::object());
    for (const auto& dependency : own.value("depends_on", nlohmann::json::array())) {
        // Nodes are listed below from what exists; a node the tenant disabled is dropped.
        const std::string service = dependency.is_object() ? dependency.value("service", "") : "";
        if (service.empty() || node_names.contains(service)) continue;
        if (!definitions.contains(service) && service.starts_with(kNodePrefix)) continue;
        depends_on.push_back(dependency);
    }
    for (const auto& node : nodes) {
        depends_on.push_back({{"service", node.service}, {"condition", "healthy"}});
    }
    return {{"env", {{"MESH_NODES", mesh_nodes_value(nodes)}}}, {"depends_on", depends_on}};
}

}  // namespace envmgr::plugins::services::infermesh
