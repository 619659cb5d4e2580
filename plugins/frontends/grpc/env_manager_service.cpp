#include "plugins/frontends/grpc/env_manager_service.h"

#include "plugins/frontends/grpc/call_support.h"
#include "plugins/frontends/grpc/status_codes.h"
#include "plugins/frontends/grpc/wire_documents.h"

#include <optional>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

constexpr const char* kTenantKey = "x-env-manager-tenant";

std::optional<std::string> metadata(const grpc::CallbackServerContext* context, const std::string& key) {
    const auto& entries = context->client_metadata();
    const auto found = entries.find(key);
    if (found == entries.end()) return std::nullopt;
    return std::string(found->second.data(), found->second.size());
}

}  // namespace

EnvManagerService::EnvManagerService(const sdk::Host& host, AccessSettings access,
                                     boost::asio::io_context& timers, ServiceOptions options)
    : host_(host), access_(std::move(access)), timers_(timers), options_(options) {}

grpc::Status EnvManagerService::admit(grpc::CallbackServerContext* context, bool mutating,
                                      std::string& tenant) const {
    auto status = check_access(access_, context->peer(), metadata(context, "authorization"), mutating);
    if (!status.ok()) return status;
    tenant = metadata(context, kTenantKey).value_or("default");
    if (tenant.empty()) return invalid(std::string(kTenantKey) + ": empty tenant name");
    return grpc::Status::OK;
}

grpc::ServerWriteReactor<pb::ServiceStatusUpdate>* EnvManagerService::StartServices(
    grpc::CallbackServerContext* context, const pb::StartServicesRequest* request) {
    std::string tenant;
    if (auto status = admit(context, true, tenant); !status.ok()) {
        return refuse_stream<pb::ServiceStatusUpdate>(status);
    }
    auto overrides = nlohmann::json::object();
    for (const auto& [key, value] : request->overrides()) overrides[key] = value;
    const nlohmann::json body{{"tenant", tenant},
                              {"services", names_of(request->service_names())},
                              {"parallel", request->parallel()},
                              {"overrides", overrides}};
    // A client that goes away stops listening, not the start (manager-operations.md).
    return stream_operation<pb::ServiceStatusUpdate>(
        host_, "services.start", body, 0,
        [](auto& channel, std::string_view item) {
            channel.push(status_update(nlohmann::json::parse(item, nullptr, false)));
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
    if (request->timeout_seconds() < 0) {
        return refuse(context,
                      invalid("timeout_seconds: must be >= 0 (0: each service's own grace period), got " +
                              std::to_string(request->timeout_seconds())));
    }
    const nlohmann::json body{{"tenant", tenant},
                              {"services", names_of(request->service_names())},
                              {"timeout_seconds", request->timeout_seconds()}};
    return UnaryOperation::run(host_, "services.stop", body, [response](const sdk::Result& result) {
        if (!result.ok()) return grpc_status(result.status, result.payload);
        *response = stop_response(nlohmann::json::parse(result.payload, nullptr, false));
        return grpc::Status::OK;
    });
}

grpc::ServerUnaryReactor* EnvManagerService::RestartService(grpc::CallbackServerContext* context,
                                                            const pb::RestartServiceRequest* request,
                                                            pb::RestartServiceResponse* response) {
    std::string tenant;
    if (auto status = admit(context, true, tenant); !status.ok()) return refuse(context, status);
    if (request->service_name().empty()) return refuse(context, invalid("service_name: required"));
    if (request->timeout_seconds() < 0) {
        return refuse(context,
                      invalid("timeout_seconds: must be >= 0 (0: the service's own grace period), got " +
                              std::to_string(request->timeout_seconds())));
    }
    const nlohmann::json body{{"tenant", tenant},
                              {"services", nlohmann::json::array({request->service_name()})},
                              {"timeout_seconds", request->timeout_seconds()}};
    return UnaryOperation::run(host_, "services.restart", body, [response](const sdk::Result& result) {
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
                                                               const pb::GetServicesStatusRequest* request,
                                                               pb::ServicesStatusResponse* response) {
    std::string tenant;
    if (auto status = admit(context, false, tenant); !status.ok()) return refuse(context, status);
    std::vector<std::string> names(request->service_names().begin(), request->service_names().end());
    return UnaryOperation::run(
        host_, "status.snapshot", {{"tenant", tenant}}, [response, names, tenant](const sdk::Result& result) {
            if (!result.ok()) return grpc_status(result.status, result.payload);
            std::string unknown;
            *response =
                services_status(nlohmann::json::parse(result.payload, nullptr, false), names, unknown);
            if (!unknown.empty()) {
                return grpc::Status(grpc::StatusCode::NOT_FOUND,
                                    "service_names: no service '" + unknown + "' in tenant '" + tenant + "'");
            }
            return grpc::Status::OK;
        });
}

grpc::ServerWriteReactor<pb::LogEntry>* EnvManagerService::StreamLogs(grpc::CallbackServerContext* context,
                                                                      const pb::StreamLogsRequest* request) {
    std::string tenant;
    if (auto status = admit(context, false, tenant); !status.ok()) return refuse_stream<pb::LogEntry>(status);
    if (request->service_name().empty()) {
        return refuse_stream<pb::LogEntry>(invalid("service_name: required"));
    }
    if (request->tail() < 0) {
        return refuse_stream<pb::LogEntry>(
            invalid("tail: must be >= 0 (0: all), got " + std::to_string(request->tail())));
    }
    if (request->since_timestamp() < 0) {
        return refuse_stream<pb::LogEntry>(invalid("since_timestamp: must be >= 0 (unix seconds), got " +
                                                   std::to_string(request->since_timestamp())));
    }
    const nlohmann::json body{{"tenant", tenant},
                              {"service", request->service_name()},
                              {"follow", request->follow()},
                              {"tail", request->tail()},
                              {"since", request->since_timestamp()}};
    // A client that goes away ends the (followed) log stream with it.
    return stream_operation<pb::LogEntry>(
        host_, "services.logs", body, options_.log_stream_queue, [](auto& channel, std::string_view item) {
            channel.push(log_entry(nlohmann::json::parse(item, nullptr, false)));
        });
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
