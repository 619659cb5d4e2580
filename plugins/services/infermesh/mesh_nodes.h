// Which services of a tenant are InferMesh nodes, and what the router is told about them. Pure:
// input is the resolve context of service-definition.md, output the router's resolution.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace envmgr::plugins::services::infermesh {

struct MeshNode {
    std::string service;  // also its DNS name on the tenant network
    int port = 9000;      // its MESH_PORT
};

// A node is a service labelled `infermesh.role = "node"`, or, for a service an operator adds
// in TOML without labels, one named `infermesh-node-*`; a service labelled with another role is
// never a node. Sorted by name, so MESH_NODES is stable and the definition hash with it.
std::vector<MeshNode> mesh_nodes(const nlohmann::json& definitions_by_name);

// "infermesh-node-a:9000,infermesh-node-b:9000"
std::string mesh_nodes_value(const std::vector<MeshNode>& nodes);

// What the router's resolve returns: MESH_NODES from the tenant's nodes, and depends_on with
// every node (healthy) plus whatever else the router's effective definition depends on (minus
// infermesh-node-* services the tenant does not have).
nlohmann::json router_resolution(const nlohmann::json& context);

}  // namespace envmgr::plugins::services::infermesh
