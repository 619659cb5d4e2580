// service.infermesh: two InferMesh nodes and the router in front of them. The
// router's MESH_NODES and its dependencies follow the nodes that exist in its tenant (resolve).
#pragma once

#include <envmgr/sdk/sdk.h>

#include <atomic>
#include <string>
#include <vector>

namespace envmgr::plugins::services::infermesh {

class InfermeshService : public sdk::ServicePlugin {
public:
    static constexpr const char* id = "service.infermesh";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "InferMesh: inference nodes a and b, and their router";

    InfermeshService(const sdk::Host& host, const nlohmann::json& config);

    std::vector<sdk::ServiceDefinition> definitions();
    // Completes at once: node planning is pure.
    envmgr_operation_id resolve(const std::string& service, const nlohmann::json& context,
                                const sdk::Completion& done);
    void cancel(envmgr_operation_id /*id*/) {}

private:
    std::atomic<envmgr_operation_id> next_id_{1};
};

}  // namespace envmgr::plugins::services::infermesh
