// frontend.grpc: the env_manager.v1 gRPC API (API-CONTRACT), with server reflection and the
// standard grpc.health.v1 service, on server.grpc_addr (host:port or unix:PATH). Uses only the
// host API: manager operations and the event bus.
#pragma once

#include <envmgr/kit/io_thread.h>
#include "plugins/frontends/grpc/call_metrics.h"
#include "plugins/frontends/grpc/env_manager_service.h"
#include "plugins/frontends/grpc/operator_service.h"

#include <envmgr/sdk/sdk.h>
#include <grpcpp/server.h>

#include <memory>
#include <string>

namespace envmgr::plugins::frontends::grpc_frontend {

struct FrontendSettings {
    std::string address;
    AccessSettings access;
    std::string tls_cert_file;
    std::string tls_key_file;
    std::string tls_client_ca_file;  // set: client certificates are required (mTLS)
    ServiceOptions service;
};

// The settings from the plugin's configuration (plugin-config.md); throws sdk::Error INVALID
// naming the key when a file cannot be read or keys do not go together.
FrontendSettings settings_from(const nlohmann::json& config);

class GrpcFrontend : public sdk::FrontendPlugin {
public:
    static constexpr const char* id = "frontend.grpc";
    static constexpr const char* version = "1.0.0";
    static constexpr const char* description = "env_manager.v1 gRPC API, reflection and grpc.health.v1";
    // gRPC and protobuf keep process-wide state and threads: the library must stay mapped.
    static constexpr std::uint32_t flags = ENVMGR_PLUGIN_FLAG_NEVER_UNLOAD;
    static const char* config_schema();

    GrpcFrontend(const sdk::Host& host, const nlohmann::json& config);
    ~GrpcFrontend() override;
    GrpcFrontend(const GrpcFrontend&) = delete;
    GrpcFrontend& operator=(const GrpcFrontend&) = delete;

    [[nodiscard]] std::string endpoint() const { return settings_.address; }
    void start();  // throws when the address cannot be bound
    void stop(const sdk::Completion& done);

private:
    FrontendSettings settings_;
    kit::IoThread timers_;
    std::unique_ptr<EnvManagerService> service_;
    std::unique_ptr<OperatorService> operator_service_;
    std::unique_ptr<grpc::Server> server_;
    CallMetrics* call_metrics_ = nullptr;  // the server's interceptor factory, while server_ lives
};

}  // namespace envmgr::plugins::frontends::grpc_frontend
