#include "plugins/frontends/grpc/wire_documents.h"

#include <algorithm>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

std::string text_of(const nlohmann::json& document, const char* key) {
    const auto found = document.find(key);
    return found != document.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::int64_t integer_of(const nlohmann::json& document, const char* key) {
    const auto found = document.find(key);
    return found != document.end() && found->is_number() ? found->get<std::int64_t>() : 0;
}

}  // namespace

pb::ServiceStatusUpdate status_update(const nlohmann::json& status_document) {
    pb::ServiceStatusUpdate update;
    if (!status_document.is_object()) return update;
    update.set_service_name(text_of(status_document, "service"));
    update.set_status(text_of(status_document, "state"));
    update.set_message(text_of(status_document, "message"));
    update.set_progress(static_cast<std::int32_t>(integer_of(status_document, "percent")));
    return update;
}

std::string failed_service_of(const std::string& start_message) {
    const std::string prefix = "service '";
    if (start_message.rfind(prefix, 0) != 0) return {};
    const auto end = start_message.find("' failed", prefix.size());
    return end == std::string::npos ? std::string()
                                    : start_message.substr(prefix.size(), end - prefix.size());
}

pb::ServiceStatus service_status(const nlohmann::json& snapshot_service) {
    pb::ServiceStatus status;
    status.set_name(text_of(snapshot_service, "name"));
    status.set_status(text_of(snapshot_service, "state"));
    status.set_container_id(text_of(snapshot_service, "container_id"));
    for (const auto& port : snapshot_service.value("ports", nlohmann::json::array())) {
        if (port.is_number_integer()) status.add_ports(port.get<std::int32_t>());
    }
    // Kept in a local: a loop over items() of a temporary would read it after it is gone.
    const auto checks = snapshot_service.value("health_checks", nlohmann::json::object());
    for (const auto& [probe, result] : checks.items()) {
        if (result.is_string()) (*status.mutable_health_checks())[probe] = result.get<std::string>();
    }
    status.set_started_at(integer_of(snapshot_service, "started_at"));
    status.set_message(text_of(snapshot_service, "message"));
    status.set_restart_count(static_cast<std::int32_t>(integer_of(snapshot_service, "restart_count")));
    status.set_next_restart_at(integer_of(snapshot_service, "next_restart_at"));
    const auto usage = snapshot_service.value("resource_usage", nlohmann::json::object());
    auto* resources = status.mutable_resource_usage();
    resources->set_cpu_percent(usage.value("cpu_percent", 0.0));
    resources->set_memory_bytes(integer_of(usage, "memory_bytes"));
    resources->set_network_rx_bytes(integer_of(usage, "network_rx_bytes"));
    resources->set_network_tx_bytes(integer_of(usage, "network_tx_bytes"));
    return status;
}

std::string first_unknown(const nlohmann::json& snapshot, const std::vector<std::string>& names) {
    const auto listed = snapshot.value("services", nlohmann::json::array());
    for (const auto& name : names) {
        if (std::none_of(listed.begin(), listed.end(),
                         [&](const nlohmann::json& service) { return text_of(service, "name") == name; })) {
            return name;
        }
    }
    return {};
}

pb::ServicesStatusResponse services_status(const nlohmann::json& snapshot,
                                           const std::vector<std::string>& names, std::string& unknown) {
    pb::ServicesStatusResponse response;
    auto& services = *response.mutable_services();
    const auto listed = snapshot.value("services", nlohmann::json::array());
    for (const auto& service : listed) {
        const std::string name = text_of(service, "name");
        if (names.empty() || std::find(names.begin(), names.end(), name) != names.end()) {
            services[name] = service_status(service);
        }
    }
    unknown = first_unknown(snapshot, names);
    if (!unknown.empty()) response.clear_services();
    return response;
}

pb::StopServicesResponse stop_response(const nlohmann::json& run_result) {
    pb::StopServicesResponse response;
    response.set_success(run_result.value("ok", false));
    for (const auto& outcome : run_result.value("services", nlohmann::json::array())) {
        const std::string state = text_of(outcome, "state");
        const std::string message = text_of(outcome, "message");
        (*response.mutable_service_results())[text_of(outcome, "service")] =
            state == "stopped" ? message : state + ": " + message;
    }
    return response;
}

pb::LogEntry log_entry(const nlohmann::json& log_item) {
    pb::LogEntry entry;
    if (!log_item.is_object()) return entry;
    entry.set_service_name(text_of(log_item, "service"));
    entry.set_container_id(text_of(log_item, "container_id"));
    entry.set_stream(text_of(log_item, "stream"));
    entry.set_message(text_of(log_item, "message"));
    entry.set_timestamp(integer_of(log_item, "timestamp"));
    return entry;
}

pb::HealthUpdate health_update(const nlohmann::json& health_event) {
    pb::HealthUpdate update;
    update.set_service_name(text_of(health_event, "service"));
    update.set_healthy(health_event.value("healthy", false));
    update.set_message(text_of(health_event, "reason"));
    update.set_timestamp(integer_of(health_event, "timestamp_ms") / 1000);
    auto& details = *update.mutable_details();
    for (const char* key : {"transition", "state", "previous", "probe", "container_id", "tenant"}) {
        details[key] = text_of(health_event, key);
    }
    return update;
}

pb::HealthUpdate health_update_from_status(const nlohmann::json& snapshot_service, std::int64_t now_seconds) {
    pb::HealthUpdate update;
    update.set_service_name(text_of(snapshot_service, "name"));
    update.set_healthy(snapshot_service.value("healthy", false));
    update.set_message(text_of(snapshot_service, "message"));
    update.set_timestamp(now_seconds);
    auto& details = *update.mutable_details();
    details["transition"] = "current";
    details["state"] = text_of(snapshot_service, "state");
    details["container_id"] = text_of(snapshot_service, "container_id");
    details["tenant"] = text_of(snapshot_service, "tenant");
    const auto checks = snapshot_service.value("health_checks", nlohmann::json::object());
    for (const auto& [probe, result] : checks.items()) {
        if (result.is_string()) details["check." + probe] = result.get<std::string>();
    }
    return update;
}

pb::ExecuteTaskResponse execute_task_response(const nlohmann::json& task_result) {
    pb::ExecuteTaskResponse response;
    const auto exit_code = task_result.value("exit_code", -1);
    response.set_success(exit_code == 0);
    auto& result = *response.mutable_result();
    result["exit_code"] = std::to_string(exit_code);
    result["stdout"] = task_result.value("stdout", "");
    result["stderr"] = task_result.value("stderr", "");
    result["truncated"] = task_result.value("truncated", false) ? "true" : "false";
    if (exit_code != 0) response.set_error("exit code " + std::to_string(exit_code));
    response.set_latency_ms(task_result.value("latency_ms", 0.0));
    return response;
}

pb::ExecuteTaskResponse timed_out_task_response(const std::string& message, double latency_ms) {
    pb::ExecuteTaskResponse response;
    response.set_success(false);
    response.set_error(message);
    (*response.mutable_result())["timed_out"] = "true";
    response.set_latency_ms(latency_ms);
    return response;
}

pb::ResourceAvailabilityResponse resource_availability(const nlohmann::json& resources) {
    pb::ResourceAvailabilityResponse response;
    response.set_available(resources.value("available", false));
    response.set_capacity(static_cast<std::int32_t>(resources.value("capacity", std::int64_t{0})));
    response.set_in_use(static_cast<std::int32_t>(resources.value("in_use", std::int64_t{0})));
    auto& hardware = *response.mutable_hardware();
    hardware.set_cpu_cores(static_cast<std::int32_t>(resources.value("cpu_cores", std::int64_t{0})));
    hardware.set_memory_bytes(resources.value("memory_bytes", std::int64_t{0}));
    const auto gpus = resources.contains("gpus") ? resources["gpus"] : nlohmann::json::array();
    for (const auto& gpu : gpus) {
        auto& out = *hardware.add_gpus();
        out.set_index(static_cast<std::int32_t>(gpu.value("index", std::int64_t{0})));
        out.set_name(gpu.value("name", ""));
        out.set_memory_bytes(gpu.value("memory_bytes", std::int64_t{0}));
        out.set_utilization_percent(gpu.value("utilization_percent", 0.0));
    }
    return response;
}

pb::ImagePullProgress image_pull_progress(const nlohmann::json& pull_item) {
    pb::ImagePullProgress progress;
    progress.set_image_name(pull_item.value("image", ""));
    progress.set_status(pull_item.value("status", ""));
    progress.set_current(pull_item.value("current", std::int64_t{0}));
    progress.set_total(pull_item.value("total", std::int64_t{0}));
    progress.set_progress_percent(pull_item.value("percent", 0));
    return progress;
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
