#include "plugins/frontends/grpc/request_documents.h"

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

std::string too_long(const std::string& field, std::size_t size, const char* what, std::size_t max) {
    return field + ": " + std::to_string(size) + " characters; " + what + " has at most " +
           std::to_string(max);
}

std::vector<std::string> list_of(const google::protobuf::RepeatedPtrField<std::string>& names) {
    return {names.begin(), names.end()};
}

RequestDocument refused(std::string why) {
    RequestDocument document;
    document.invalid = std::move(why);
    return document;
}

std::string negative(const std::string& field, std::int64_t value, const std::string& meaning) {
    return field + ": must be >= 0 (" + meaning + "), got " + std::to_string(value);
}

}  // namespace

std::string service_names_problem(const std::string& field, const std::vector<std::string>& names) {
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (names[i].size() > kMaxServiceName) {
            return too_long(field + "[" + std::to_string(i) + "]", names[i].size(), "a service name",
                            kMaxServiceName);
        }
    }
    return {};
}

RequestDocument start_document(const std::string& tenant, const pb::StartServicesRequest& request) {
    const auto names = list_of(request.service_names());
    if (auto problem = service_names_problem("service_names", names); !problem.empty()) {
        return refused(problem);
    }
    auto overrides = nlohmann::json::object();
    for (const auto& [key, value] : request.overrides()) {
        // A key is SERVICE.image, SERVICE.command or SERVICE.env.NAME: a name and a field.
        if (key.size() > kMaxServiceName + kMaxShortText) {
            return refused(too_long("overrides", key.size(), "a key", kMaxServiceName + kMaxShortText));
        }
        overrides[key] = value;
    }
    return {
        {{"tenant", tenant}, {"services", names}, {"parallel", request.parallel()}, {"overrides", overrides}},
        {}};
}

RequestDocument stop_document(const std::string& tenant, const pb::StopServicesRequest& request) {
    const auto names = list_of(request.service_names());
    if (auto problem = service_names_problem("service_names", names); !problem.empty()) {
        return refused(problem);
    }
    if (request.timeout_seconds() < 0) {
        return refused(
            negative("timeout_seconds", request.timeout_seconds(), "0: each service's own grace period"));
    }
    return {{{"tenant", tenant}, {"services", names}, {"timeout_seconds", request.timeout_seconds()}}, {}};
}

RequestDocument restart_document(const std::string& tenant, const pb::RestartServiceRequest& request) {
    if (request.service_name().empty()) return refused("service_name: required");
    if (request.service_name().size() > kMaxServiceName) {
        return refused(
            too_long("service_name", request.service_name().size(), "a service name", kMaxServiceName));
    }
    if (request.timeout_seconds() < 0) {
        return refused(
            negative("timeout_seconds", request.timeout_seconds(), "0: the service's own grace period"));
    }
    return {{{"tenant", tenant},
             {"services", nlohmann::json::array({request.service_name()})},
             {"timeout_seconds", request.timeout_seconds()}},
            {}};
}

ServiceSelection status_selection(const pb::GetServicesStatusRequest& request) {
    ServiceSelection selection;
    selection.names = list_of(request.service_names());
    selection.invalid = service_names_problem("service_names", selection.names);
    return selection;
}

ServiceSelection health_selection(const pb::StreamHealthRequest& request,
                                  std::chrono::seconds default_heartbeat) {
    ServiceSelection selection;
    selection.names = list_of(request.service_names());
    selection.invalid = service_names_problem("service_names", selection.names);
    if (selection.ok() && request.interval_seconds() < 0) {
        selection.invalid = negative("interval_seconds", request.interval_seconds(),
                                     "0: every " + std::to_string(default_heartbeat.count()) + " s");
    }
    selection.interval =
        request.interval_seconds() > 0 ? std::chrono::seconds(request.interval_seconds()) : default_heartbeat;
    return selection;
}

RequestDocument resources_document(const pb::GetResourceAvailabilityRequest& request) {
    if (request.workload_class().size() > kMaxShortText) {
        return refused(
            too_long("workload_class", request.workload_class().size(), "a workload class", kMaxShortText));
    }
    return {{{"workload_class", request.workload_class()}}, {}};
}

RequestDocument task_document(const std::string& tenant, const pb::ExecuteTaskRequest& request) {
    if (request.timeout_seconds() < 0) {
        return refused(negative("timeout_seconds", request.timeout_seconds(), "0: the configured default"));
    }
    if (request.task_id().size() > kMaxShortText) {
        return refused(too_long("task_id", request.task_id().size(), "a task id", kMaxShortText));
    }
    if (request.workload_class().size() > kMaxShortText) {
        return refused(
            too_long("workload_class", request.workload_class().size(), "a workload class", kMaxShortText));
    }
    auto payload = nlohmann::json::object();
    for (const auto& [key, value] : request.payload()) {
        if (key.size() > kMaxShortText) {
            return refused(too_long("payload", key.size(), "a key", kMaxShortText));
        }
        payload[key] = value;
    }
    const auto named = [&](const char* key, std::size_t max, const char* what) -> std::string {
        const auto found = request.payload().find(key);
        if (found == request.payload().end() || found->second.size() <= max) return {};
        return too_long(std::string("payload.") + key, found->second.size(), what, max);
    };
    if (auto problem = named("service", kMaxServiceName, "a service name"); !problem.empty()) {
        return refused(problem);
    }
    if (auto problem = named("image", kMaxImageReference, "an image reference"); !problem.empty()) {
        return refused(problem);
    }
    return {{{"tenant", tenant},
             {"task_id", request.task_id()},
             {"workload_class", request.workload_class()},
             {"timeout_seconds", request.timeout_seconds()},
             {"payload", payload}},
            {}};
}

RequestDocument pull_document(const std::string& tenant, const pb::PullImagesRequest& request) {
    for (int i = 0; i < request.image_names_size(); ++i) {
        if (request.image_names(i).size() > kMaxImageReference) {
            return refused(too_long("image_names[" + std::to_string(i) + "]", request.image_names(i).size(),
                                    "an image reference", kMaxImageReference));
        }
    }
    return {{{"tenant", tenant}, {"images", list_of(request.image_names())}}, {}};
}

RequestDocument logs_document(const std::string& tenant, const pb::StreamLogsRequest& request) {
    if (request.service_name().empty()) return refused("service_name: required");
    if (request.service_name().size() > kMaxServiceName) {
        return refused(
            too_long("service_name", request.service_name().size(), "a service name", kMaxServiceName));
    }
    if (request.tail() < 0) return refused(negative("tail", request.tail(), "0: all"));
    if (request.since_timestamp() < 0) {
        return refused(negative("since_timestamp", request.since_timestamp(), "unix seconds"));
    }
    return {{{"tenant", tenant},
             {"service", request.service_name()},
             {"follow", request.follow()},
             {"tail", request.tail()},
             {"since", request.since_timestamp()}},
            {}};
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
