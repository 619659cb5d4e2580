// backend.docker: the Docker Engine API over HTTP/1.1, asynchronous on the plugin's own io
// thread. Operations are named (plugin_api/docs/backend-operations.md); each lives in its
// family's *_operations.cpp and maps to one or a few engine calls made through EngineApi.
#pragma once

#include "plugins/backends/docker/engine_api.h"
#include "plugins/backends/docker/engine_backend.h"

namespace envmgr::plugins::backends::docker {

class DockerBackend : public EngineBackend {
public:
    static constexpr const char* id = "backend.docker";
    static constexpr const char* version = "0.1.0";
    static constexpr const char* description = "Docker Engine API over a unix socket or TCP";

    static const char* config_schema();

    DockerBackend(const sdk::Host& host, const nlohmann::json& config);
    DockerBackend(const DockerBackend&) = delete;
    DockerBackend& operator=(const DockerBackend&) = delete;
    ~DockerBackend() override;

private:
    EngineApi& engine() override { return engine_; }
    void for_each_engine(const std::function<void(EngineApi&)>& visit) override { visit(engine_); }
    void dispatch(const OperationPtr& op) override;

    // Lives on the io thread; the destructor stops the thread before it goes.
    EngineApi engine_;
};

}  // namespace envmgr::plugins::backends::docker
