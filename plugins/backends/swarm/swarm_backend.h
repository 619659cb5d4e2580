// backend.swarm: each env-manager container is a Docker Swarm service, driven through the
// manager's Engine API (services, tasks, nodes, overlay networks) on the plugin's own io thread.
// Operations are named as backend.docker's (plugin_api/docs/backend-operations.md, which says
// what differs on a swarm); several reuse backend.docker's own on the manager's engine or on a
// node's.
#pragma once

#include "plugins/backends/docker/engine_api.h"
#include "plugins/backends/docker/operation.h"
#include "plugins/backends/swarm/swarm.h"

#include <envmgr/kit/io_thread.h>
#include <envmgr/sdk/sdk.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace envmgr::plugins::backends::swarm {

class SwarmBackend : public sdk::BackendPlugin {
public:
    static constexpr const char* id = "backend.swarm";
    static constexpr const char* version = "0.1.0";
    static constexpr const char* description = "Docker Swarm services through a manager node's Engine API";

    static const char* config_schema();

    SwarmBackend(const sdk::Host& host, const nlohmann::json& config);
    SwarmBackend(const SwarmBackend&) = delete;
    SwarmBackend& operator=(const SwarmBackend&) = delete;
    ~SwarmBackend() override;

    envmgr_operation_id invoke(std::string_view operation, const nlohmann::json& request,
                               const sdk::Completion& done);
    void cancel(envmgr_operation_id operation_id);
    void stop(const sdk::Completion& done);

private:
    void dispatch(const OperationPtr& op);
    void cancel_all();

    docker::OperationRegistry operations_;
    SwarmSettings settings_;
    // The engines live on the io thread; the destructor stops the thread before they go.
    kit::IoThread io_thread_;
    EngineApi manager_;
    std::map<std::string, std::unique_ptr<EngineApi>> node_engines_;
    Swarm swarm_;
};

}  // namespace envmgr::plugins::backends::swarm
