#include "plugins/frontends/grpc/env_manager_service.h"

#include "plugins/frontends/grpc/call_admission.h"
#include "plugins/frontends/grpc/call_support.h"
#include "plugins/frontends/grpc/request_documents.h"
#include "plugins/frontends/grpc/request_parse_check.h"
#include "plugins/frontends/grpc/status_codes.h"
#include "plugins/frontends/grpc/wire_documents.h"

namespace envmgr::plugins::frontends::grpc_frontend {

EnvManagerService::EnvManagerService(const sdk::Host& host, AccessSettings access,
                                     boost::asio::io_context& timers, ServiceOptions options)
    : host_(host), access_(std::move(access)), timers_(timers), options_(options) {}

grpc::Status EnvManagerService::admit(grpc::CallbackServerContext* context, bool local_only,
                                      std::string& tenant) const {
    return admit_call(access_, context, local_only, tenant);
}

grpc::ServerWriteReactor<pb::ServiceStatusUpdate>* EnvManagerService::StartServices(
    grpc::CallbackServerContext* context, const pb::StartServicesRequest* request) {
    std::string tenant;
    if (auto status = admit(context, true, tenant); !status.ok()) {
        return refuse_stream<pb::ServiceStatusUpdate>(status);
    }
    const auto document = start_document(tenant, *request);
    if (!document.ok()) return refuse_stream<pb::ServiceStatusUpdate>(invalid(document.invalid));
    // A client that goes away stops listening, not the start (manager-operations.md).
    return stream_operation<pb::ServiceStatusUpdate>(
        host_, streams_, "services.start", document.body, 0,
        [](auto& channel, std::string_view item) {
            channel.push(status_update(read_or_default<sdk::StatusDocument>(item)));
        },
        [](auto& channel, const sdk::Result& result) {
            // The last update of a failed start names the service that failed it and why.
            if (result.ok()) return;
            if (const auto failed = failed_service_of(result.payload); !failed.empty()) {
                pb::ServiceStatusUpdate last;
                last.set_service_name(failed);
                last.set_status("failed");
                last.set_message(result.payload);
                channel.push(std::move(last));
            }
        });
}

grpc::ServerUnaryReactor* EnvManagerService::StopServices(grpc::CallbackServerContext* context,
                                                          const pb::StopServicesRequest* request,
                                                          pb::StopServicesResponse* response) {
    std::string tenant;
    if (auto status = admit(context, true, tenant); !status.ok()) return refuse(context, status);
    const auto document = stop_document(tenant, *request);
    if (!document.ok()) return refuse(context, invalid(document.invalid));
    return UnaryOperation::run(host_, "services.stop", document.body, [response](const sdk::Result& result) {
        if (!result.ok()) return grpc_status(result.status, result.payload);
        *response = stop_response(read_or_default<sdk::RunResult>(result.payload));
        return grpc::Status::OK;
    });
}

grpc::ServerUnaryReactor* EnvManagerService::RestartService(grpc::CallbackServerContext* context,
                                                            const pb::RestartServiceRequest* request,
                                                            pb::RestartServiceResponse* response) {
    std::string tenant;
    if (auto status = admit(context, true, tenant); !status.ok()) return refuse(context, status);
    const auto document = restart_document(tenant, *request);
    if (!document.ok()) return refuse(context, invalid(document.invalid));
    return UnaryOperation::run(
        host_, "services.restart", document.body, [response](const sdk::Result& result) {
            // A restart that did not bring a service back is its answer; anything else that failed
            // (an unknown service, bad input, a daemon shutting down) is an error of the call.
            if (!result.ok() && failed_service_of(result.payload).empty()) {
                return grpc_status(result.status, result.payload);
            }
            response->set_success(result.ok());
            response->set_message(result.ok() ? "restarted: ready again" : result.payload);
            return grpc::Status::OK;
        });
}

grpc::ServerUnaryReactor* EnvManagerService::GetServicesStatus(grpc::CallbackServerContext* context,
                                                               const grpc::ByteBuffer* request,
                                                               grpc::ByteBuffer* response) {
    std::string tenant;
    if (auto status = admit(context, false, tenant); !status.ok()) return refuse(context, status);
    pb::GetServicesStatusRequest parsed;
    grpc::ByteBuffer body(*request);  // shares the slices; Deserialize consumes its argument
    if (!grpc::SerializationTraits<pb::GetServicesStatusRequest>::Deserialize(&body, &parsed).ok()) {
        return refuse(context,
                      {grpc::StatusCode::INVALID_ARGUMENT,
                       unparsable_request_message("/env_manager.v1.EnvManagerService/GetServicesStatus")});
    }
    auto selection = status_selection(parsed);
    if (!selection.ok()) return refuse(context, invalid(selection.invalid));
    return UnaryOperation::run(host_, "status.snapshot", {{"tenant", tenant}},
                               [responses = status_responses_, response, names = std::move(selection.names),
                                tenant](const sdk::Result& result) {
                                   if (!result.ok()) return grpc_status(result.status, result.payload);
                                   auto answer = responses->answer(tenant, names, result.payload);
                                   *response = answer.bytes;  // shares the kept slice
                                   return answer.status;
                               });
}

grpc::ServerWriteReactor<pb::LogEntry>* EnvManagerService::StreamLogs(grpc::CallbackServerContext* context,
                                                                      const pb::StreamLogsRequest* request) {
    std::string tenant;
    // Logs carry secrets as often as anything: in protected mode they stay on this host.
    if (auto status = admit(context, true, tenant); !status.ok()) return refuse_stream<pb::LogEntry>(status);
    const auto document = logs_document(tenant, *request);
    if (!document.ok()) return refuse_stream<pb::LogEntry>(invalid(document.invalid));
    // A client that goes away ends the (followed) log stream with it.
    return stream_operation<pb::LogEntry>(host_, streams_, "services.logs", document.body,
                                          options_.log_stream_queue,
                                          [](auto& channel, std::string_view item) {
                                              channel.push(log_entry(read_or_default<sdk::LogLine>(item)));
                                          });
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
