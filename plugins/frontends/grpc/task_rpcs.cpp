// ExecuteTask, GetResourceAvailability and PullImages: the RPCs beside the services' lifecycle,
// on the manager operations tasks.execute, resources.get and images.pull.
#include "plugins/frontends/grpc/call_support.h"
#include "plugins/frontends/grpc/env_manager_service.h"
#include "plugins/frontends/grpc/request_documents.h"
#include "plugins/frontends/grpc/status_codes.h"
#include "plugins/frontends/grpc/wire_documents.h"

#include <chrono>

namespace envmgr::plugins::frontends::grpc_frontend {

grpc::ServerUnaryReactor* EnvManagerService::ExecuteTask(grpc::CallbackServerContext* context,
                                                         const pb::ExecuteTaskRequest* request,
                                                         pb::ExecuteTaskResponse* response) {
    std::string tenant;
    if (auto status = admit(context, true, tenant); !status.ok()) return refuse(context, status);
    const auto document = task_document(tenant, *request);
    if (!document.ok()) return refuse(context, invalid(document.invalid));
    const auto started = std::chrono::steady_clock::now();
    return UnaryOperation::run(
        host_, "tasks.execute", document.body, [response, started](const sdk::Result& result) {
            if (result.ok()) {
                *response = execute_task_response(read_or_default<sdk::TaskResult>(result.payload));
                return grpc::Status::OK;
            }
            // The task's own deadline (the backend says "did not finish within"); an engine call that
            // timed out is an error of the call.
            if (result.status == ENVMGR_STATUS_TIMEOUT &&
                result.payload.find("did not finish within") != std::string::npos) {
                const std::chrono::duration<double, std::milli> latency =
                    std::chrono::steady_clock::now() - started;
                *response = timed_out_task_response("timeout: " + result.payload, latency.count());
                return grpc::Status::OK;
            }
            // A full workload class is a resource to wait for, not a broken precondition.
            if (result.status == ENVMGR_STATUS_CONFLICT &&
                result.payload.find("is at capacity") != std::string::npos) {
                return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, result.payload);
            }
            return grpc_status(result.status, result.payload);
        });
}

grpc::ServerUnaryReactor* EnvManagerService::GetResourceAvailability(
    grpc::CallbackServerContext* context, const pb::GetResourceAvailabilityRequest* request,
    pb::ResourceAvailabilityResponse* response) {
    std::string tenant;
    if (auto status = admit(context, false, tenant); !status.ok()) return refuse(context, status);
    const auto document = resources_document(*request);
    if (!document.ok()) return refuse(context, invalid(document.invalid));
    return UnaryOperation::run(host_, "resources.get", document.body, [response](const sdk::Result& result) {
        if (!result.ok()) return grpc_status(result.status, result.payload);
        *response = resource_availability(read_or_default<sdk::ResourceReport>(result.payload));
        return grpc::Status::OK;
    });
}

grpc::ServerWriteReactor<pb::ImagePullProgress>* EnvManagerService::PullImages(
    grpc::CallbackServerContext* context, const pb::PullImagesRequest* request) {
    std::string tenant;
    if (auto status = admit(context, true, tenant); !status.ok()) {
        return refuse_stream<pb::ImagePullProgress>(status);
    }
    const auto document = pull_document(tenant, *request);
    if (!document.ok()) return refuse_stream<pb::ImagePullProgress>(invalid(document.invalid));
    // A client that goes away ends the pulls it asked for.
    return stream_operation<pb::ImagePullProgress>(
        host_, streams_, "images.pull", document.body, 0,
        [host = host_](auto& channel, std::string_view item) {
            const auto pulled = read_or_default<sdk::PullProgress>(item);
            // The wire has no field for why an image failed: the log has it.
            if (pulled.status == "error") {
                host.warn("PullImages: " + sdk::quote_input(pulled.image, 256) +
                          " failed: " + sdk::cut_input(pulled.error, 1024));
            }
            channel.push(image_pull_progress(pulled));
        });
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
