// env_manager.v1.EnvManagerService on the host's manager operations and event bus
// (manager-operations.md, events.md): every call names its tenant in the metadata key
// x-env-manager-tenant (none: "default"), passes the access policy, and becomes a manager
// operation; streams are fed by the operation's items or the bus, never by polling the engine.
#pragma once

#include "plugins/frontends/grpc/access_policy.h"
#include "plugins/frontends/grpc/open_streams.h"
#include "plugins/frontends/grpc/status_responses.h"

#include <env_manager/v1/env_manager.grpc.pb.h>
#include <envmgr/sdk/sdk.h>

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <memory>

namespace envmgr::plugins::frontends::grpc_frontend {

namespace pb = ::env_manager::v1;

struct ServiceOptions {
    std::size_t health_stream_queue = 256;       // updates queued per StreamHealth call
    std::chrono::seconds default_heartbeat{10};  // StreamHealth with interval_seconds 0
    std::size_t log_stream_queue = 4096;         // lines queued per StreamLogs call
};

// GetServicesStatus is a raw method: it answers with bytes kept from an earlier call when the
// status has not changed (status_responses.h).
using EnvManagerServiceBase =
    pb::EnvManagerService::WithRawCallbackMethod_GetServicesStatus<pb::EnvManagerService::CallbackService>;

class EnvManagerService final : public EnvManagerServiceBase {
public:
    EnvManagerService(const sdk::Host& host, AccessSettings access, boost::asio::io_context& timers,
                      ServiceOptions options);

    grpc::ServerWriteReactor<pb::ServiceStatusUpdate>* StartServices(
        grpc::CallbackServerContext* context, const pb::StartServicesRequest* request) override;
    grpc::ServerUnaryReactor* StopServices(grpc::CallbackServerContext* context,
                                           const pb::StopServicesRequest* request,
                                           pb::StopServicesResponse* response) override;
    grpc::ServerUnaryReactor* RestartService(grpc::CallbackServerContext* context,
                                             const pb::RestartServiceRequest* request,
                                             pb::RestartServiceResponse* response) override;
    // A GetServicesStatusRequest in, a ServicesStatusResponse out, as bytes.
    grpc::ServerUnaryReactor* GetServicesStatus(grpc::CallbackServerContext* context,
                                                const grpc::ByteBuffer* request,
                                                grpc::ByteBuffer* response) override;
    grpc::ServerWriteReactor<pb::HealthUpdate>* StreamHealth(grpc::CallbackServerContext* context,
                                                             const pb::StreamHealthRequest* request) override;
    grpc::ServerWriteReactor<pb::LogEntry>* StreamLogs(grpc::CallbackServerContext* context,
                                                       const pb::StreamLogsRequest* request) override;

    grpc::ServerUnaryReactor* GetResourceAvailability(grpc::CallbackServerContext* context,
                                                      const pb::GetResourceAvailabilityRequest* request,
                                                      pb::ResourceAvailabilityResponse* response) override;
    grpc::ServerUnaryReactor* ExecuteTask(grpc::CallbackServerContext* context,
                                          const pb::ExecuteTaskRequest* request,
                                          pb::ExecuteTaskResponse* response) override;
    grpc::ServerWriteReactor<pb::ImagePullProgress>* PullImages(
        grpc::CallbackServerContext* context, const pb::PullImagesRequest* request) override;

    // Ends every open stream with status (a shutdown), and every stream opened after.
    void close_streams(const grpc::Status& status) { streams_->close_all(status); }

private:
    // OK, or why this call may not go on (the access policy; a tenant name that is not one).
    grpc::Status admit(grpc::CallbackServerContext* context, bool local_only, std::string& tenant) const;

    sdk::Host host_;
    AccessSettings access_;
    boost::asio::io_context& timers_;
    ServiceOptions options_;
    std::shared_ptr<OpenStreams> streams_ = std::make_shared<OpenStreams>();
    std::shared_ptr<StatusResponses> status_responses_ = std::make_shared<StatusResponses>();
};

}  // namespace envmgr::plugins::frontends::grpc_frontend
