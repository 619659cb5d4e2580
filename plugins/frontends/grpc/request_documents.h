// Each env_manager.v1 request as the manager operation's request document
// (manager-operations.md), or why it is refused: INVALID_ARGUMENT naming the field, a caller's
// input never echoed whole (names longer than any real one are refused by their length before
// anything repeats them). Pure: unit tested and fuzzed (tests/fuzz) without a server.
#pragma once

#include <env_manager/v1/env_manager.pb.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace envmgr::plugins::frontends::grpc_frontend {

namespace pb = ::env_manager::v1;

// Longest names a request may carry: a service name is one DNS label, an image reference is at
// most what the engine's reference grammar allows (255 for the name) with a tag or digest.
inline constexpr std::size_t kMaxServiceName = 63;
inline constexpr std::size_t kMaxImageReference = 512;
inline constexpr std::size_t kMaxShortText = 256;  // a task id, a workload class, a key

struct RequestDocument {
    nlohmann::json body = nlohmann::json::object();  // the manager operation's request
    std::string invalid;                             // not empty: refused (INVALID_ARGUMENT) with this
    [[nodiscard]] bool ok() const { return invalid.empty(); }
};

RequestDocument start_document(const std::string& tenant, const pb::StartServicesRequest& request);
RequestDocument stop_document(const std::string& tenant, const pb::StopServicesRequest& request);
RequestDocument restart_document(const std::string& tenant, const pb::RestartServiceRequest& request);

// What GetServicesStatus and StreamHealth select: not a manager request (status.snapshot asks for
// the whole tenant), but the services the frontend keeps of the answer and a stream's heartbeat.
struct ServiceSelection {
    std::vector<std::string> names;    // empty: every service of the tenant
    std::chrono::seconds interval{0};  // StreamHealth's heartbeat
    std::string invalid;               // not empty: refused (INVALID_ARGUMENT) with this
    [[nodiscard]] bool ok() const { return invalid.empty(); }
};
ServiceSelection status_selection(const pb::GetServicesStatusRequest& request);
// interval: the request's, or default_heartbeat where it says 0.
ServiceSelection health_selection(const pb::StreamHealthRequest& request,
                                  std::chrono::seconds default_heartbeat);
RequestDocument resources_document(const pb::GetResourceAvailabilityRequest& request);
RequestDocument task_document(const std::string& tenant, const pb::ExecuteTaskRequest& request);
RequestDocument pull_document(const std::string& tenant, const pb::PullImagesRequest& request);
RequestDocument logs_document(const std::string& tenant, const pb::StreamLogsRequest& request);

// "" or why a list of service names (the field `field`) is refused.
std::string service_names_problem(const std::string& field, const std::vector<std::string>& names);

}  // namespace envmgr::plugins::frontends::grpc_frontend
