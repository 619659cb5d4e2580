// backend.swarm: each env-manager container is a Docker Swarm service, driven through the
// manager's Engine API (services, tasks, nodes, overlay networks) on the plugin's own io thread.
// Operations are named as backend.docker's (plugin_api/docs/backend-operations.md, which says
// what differs on a swarm); several reuse backend.docker's own on the manager's engine or on a
// node's.
#pragma once

#include "plugins/backends/docker/engine_backend.h"
#include "plugins/backends/swarm/swarm.h"

#include <map>
#include <memory>
#include <string>

namespace envmgr::plugins::backends::swarm {

class SwarmBackend : public docker::EngineBackend {
public:
    static constexpr const char* id = "backend.swarm";
    static constexpr const char* version = "0.1.0";
    static constexpr const char* description = "Docker Swarm services through a manager node's Engine API";

    static const char* config_schema();

    SwarmBackend(const sdk::Host& host, const nlohmann::json& config);
    SwarmBackend(const SwarmBackend&) = delete;
    SwarmBackend& operator=(const SwarmBackend&) = delete;
    ~SwarmBackend() override;

private:
    EngineApi& engine() override { return manager_; }
    void for_each_engine(const std::function<void(EngineApi&)>& visit) override;
    void dispatch(const OperationPtr& op) override;

    SwarmSettings settings_;
    // The engines live on the io thread; the destructor stops the thread before they go.
    EngineApi manager_;
    std::map<std::string, std::unique_ptr<EngineApi>> node_engines_;
    Swarm swarm_;
};

}  // namespace envmgr::plugins::backends::swarm
