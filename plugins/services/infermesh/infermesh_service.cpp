#include "plugins/services/infermesh/infermesh_service.h"

#include "plugins/services/common/definition_document.h"
#include "plugins/services/infermesh/mesh_nodes.h"

namespace envmgr::plugins::services::infermesh {

InfermeshService::InfermeshService(const sdk::Host& host, const nlohmann::json&) : ServicePlugin(host) {}

std::vector<sdk::ServiceDefinition> InfermeshService::definitions() {
    // The router's MESH_NODES here is what resolve computes for the default stack; resolve
    // replaces it with the nodes the tenant really has.
    return common::definitions_from(R"([{
      "name": "infermesh-node-a",
      "image": "official-infermesh:latest",
      "ports": [{"container_port": 9000, "host_port": 19001}],
      "env": {"MESH_NODE_ID": "node-a", "MESH_PORT": "9000", "REDIS_URL": "redis://redis:6379"},
      "mounts": [{"type": "volume", "source": "infermesh_cache_a", "target": "/cache"}],
      "labels": {"infermesh.role": "node"},
      "depends_on": [{"service": "redis", "condition": "healthy"}],
      "readiness": {"type": "http", "port": 9000, "path": "/health"}
    }, {
      "name": "infermesh-node-b",
      "image": "official-infermesh:latest",
      "ports": [{"container_port": 9000, "host_port": 19002}],
      "env": {"MESH_NODE_ID": "node-b", "MESH_PORT": "9000", "REDIS_URL": "redis://redis:6379"},
      "mounts": [{"type": "volume", "source": "infermesh_cache_b", "target": "/cache"}],
      "labels": {"infermesh.role": "node"},
      "depends_on": [{"service": "redis", "condition": "healthy"}],
      "readiness": {"type": "http", "port": 9000, "path": "/health"}
    }, {
      "name": "infermesh-router",
      "image": "official-infermesh:latest",
      "ports": [{"container_port": 9000, "host_port": 19000}],
      "env": {"MESH_ROLE": "router", "MESH_PORT": "9000",
              "MESH_NODES": "infermesh-node-a:9000,infermesh-node-b:9000", "REDIS_URL": "redis://redis:6379"},
      "labels": {"infermesh.role": "router"},
      "depends_on": [{"service": "infermesh-node-a", "condition": "healthy"},
                     {"service": "infermesh-node-b", "condition": "healthy"}],
      "readiness": {"type": "http", "port": 9000, "path": "/health"}
    }])");
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
