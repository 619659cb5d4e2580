#include "plugins/services/infermesh/infermesh_service.h"

#include "plugins/services/common/definition_document.h"
#include "plugins/services/infermesh/mesh_nodes.h"

namespace envmgr::plugins::services::infermesh {

InfermeshService::InfermeshService(const sdk::Host& host, const nlohmann::json&) : ServicePlugin(host) {}

namespace {

constexpr const char* kImage = "official-infermesh:latest";
constexpr const char* kRedisUrl = "redis://redis:6379";

// What node-a and node-b share; each has its own id, host port and cache volume.
nlohmann::json node(const std::string& letter, int host_port) {
    std::string name = "infermesh-node-";
    name += letter;
    std::string cache = "infermesh_cache_";
    cache += letter;
    std::string id = "node-";
    id += letter;
    return {{"name", name},
            {"image", kImage},
            {"ports", {{{"container_port", 9000}, {"host_port", host_port}}}},
            {"env", {{"MESH_NODE_ID", id}, {"MESH_PORT", "9000"}, {"REDIS_URL", kRedisUrl}}},
            {"mounts", {{{"type", "volume"}, {"source", cache}, {"target", "/cache"}}}},
            {"labels", {{"infermesh.role", "node"}}},
            {"depends_on", {{{"service", "redis"}, {"condition", "healthy"}}}},
            {"readiness", {{"type", "http"}, {"port", 9000}, {"path", "/health"}}}};
}

}  // namespace

std::vector<sdk::ServiceDefinition> InfermeshService::definitions() {
    // The router's MESH_NODES and depends_on here are what resolve computes for the default
    // stack; resolve replaces them with the nodes the tenant really has.
    const nlohmann::json router{{"name", "infermesh-router"},
                                {"image", kImage},
                                {"ports", {{{"container_port", 9000}, {"host_port", 19000}}}},
                                {"env",
                                 {{"MESH_ROLE", "router"},
                                  {"MESH_PORT", "9000"},
                                  {"MESH_NODES", "infermesh-node-a:9000,infermesh-node-b:9000"},
                                  {"REDIS_URL", kRedisUrl}}},
                                {"labels", {{"infermesh.role", "router"}}},
                                {"depends_on",
                                 {{{"service", "infermesh-node-a"}, {"condition", "healthy"}},
                                  {{"service", "infermesh-node-b"}, {"condition", "healthy"}}}},
                                {"readiness", {{"type", "http"}, {"port", 9000}, {"path", "/health"}}}};
    return common::definitions_from_document(nlohmann::json{node("a", 19001), node("b", 19002), router});
}

envmgr_operation_id InfermeshService::resolve(const std::string& /*service*/, const nlohmann::json& context,
                                              const sdk::Completion& done) {
    const envmgr_operation_id resolve_id = next_id_++;
    // Only the router depends on the others; a node resolves to itself.
    const nlohmann::json own = context.value("definition", nlohmann::json::object());
    const auto labels = own.value("labels", nlohmann::json::object());
    const bool router = labels.is_object() && labels.value("infermesh.role", "") == "router";
    done.ok(router ? router_resolution(context).dump() : std::string("{}"));
    return resolve_id;
}

}  // namespace envmgr::plugins::services::infermesh
