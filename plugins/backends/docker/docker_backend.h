// backend.docker: the Docker Engine API over HTTP/1.1, asynchronous on the plugin's own io
// thread. Operations are named (plugin_api/docs/backend-operations.md); each lives in its
// family's *_operations.cpp and maps to one or a few engine calls made through EngineApi.
#pragma once

#include <envmgr/kit/io_thread.h>
#include "plugins/backends/docker/engine_api.h"
#include "plugins/backends/docker/operation.h"

#include <envmgr/sdk/sdk.h>

#include <string_view>

namespace envmgr::plugins::backends::docker {

class DockerBackend : public sdk::BackendPlugin {
public:
    static constexpr const char* id = "backend.docker";
    static constexpr const char* version = "0.1.0";
    static constexpr const char* description = "Docker Engine API over a unix socket or TCP";

    static const char* config_schema();

    DockerBackend(const sdk::Host& host, const nlohmann::json& config);
    DockerBackend(const DockerBackend&) = delete;
    DockerBackend& operator=(const DockerBackend&) = delete;
    ~DockerBackend() override;

    envmgr_operation_id invoke(std::string_view operation, const nlohmann::json& request,
                               const sdk::Completion& done);
    void cancel(envmgr_operation_id operation_id);
    void stop(const sdk::Completion& done);

private:
    void dispatch(const OperationPtr& op);
    void cancel_all();

    OperationRegistry operations_;
    // The engine client lives on the io thread; the destructor stops the thread before either
    // member goes.
    kit::IoThread io_thread_;
    EngineApi engine_;
};

}  // namespace envmgr::plugins::backends::docker
