#include "plugins/frontends/grpc/wire_documents.h"

#include <algorithm>
#include <initializer_list>
#include <utility>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

// Sets a wire map's entries (a health update's details, a task's result): the contract's keys
// for one message, stated together.
void put(google::protobuf::Map<std::string, std::string>& map,
         std::initializer_list<std::pair<std::string_view, std::string>> entries) {
    for (const auto& [key, value] : entries) map[std::string(key)] = value;
}

}  // namespace

pb::ServiceStatusUpdate status_update(const sdk::StatusDocument& status) {
    pb::ServiceStatusUpdate update;
    update.set_service_name(status.service);
    update.set_status(status.state);
    update.set_message(status.message);
    update.set_progress(status.percent);
    return update;
}

std::string failed_service_of(const std::string& start_message) {
    const std::string prefix = "service '";
    if (start_message.rfind(prefix, 0) != 0) return {};
    const auto end = start_message.find("' failed", prefix.size());
    return end == std::string::npos ? std::string()
                                    : start_message.substr(prefix.size(), end - prefix.size());
}

pb::ServiceStatus service_status(const sdk::ServiceStatus& service) {
    pb::ServiceStatus status;
    status.set_name(service.name);
    status.set_status(service.state);
    status.set_container_id(service.container_id);
    for (const auto port : service.ports) status.add_ports(port);
    auto& checks = *status.mutable_health_checks();
    for (const auto& [probe, result] : service.health_checks) checks[probe] = result;
    status.set_started_at(service.started_at);
    status.set_message(service.message);
    status.set_restart_count(service.restart_count);
    status.set_next_restart_at(service.next_restart_at);
    status.set_node(service.node);
    auto* resources = status.mutable_resource_usage();
    resources->set_cpu_percent(service.resource_usage.cpu_percent);
    resources->set_memory_bytes(service.resource_usage.memory_bytes);
    resources->set_network_rx_bytes(service.resource_usage.network_rx_bytes);
    resources->set_network_tx_bytes(service.resource_usage.network_tx_bytes);
    return status;
}

std::string first_unknown(const sdk::StatusSnapshot& snapshot, const std::vector<std::string>& names) {
    for (const auto& name : names) {
        if (std::none_of(snapshot.services.begin(), snapshot.services.end(),
                         [&](const sdk::ServiceStatus& service) { return service.name == name; })) {
            return name;
        }
    }
    return {};
}

pb::ServicesStatusResponse services_status(const sdk::StatusSnapshot& snapshot,
                                           const std::vector<std::string>& names, std::string& unknown) {
    pb::ServicesStatusResponse response;
    auto& services = *response.mutable_services();
    for (const auto& service : snapshot.services) {
        if (names.empty() || std::find(names.begin(), names.end(), service.name) != names.end()) {
            services[service.name] = service_status(service);
        }
    }
    unknown = first_unknown(snapshot, names);
    if (!unknown.empty()) response.clear_services();
    return response;
}

pb::StopServicesResponse stop_response(const sdk::RunResult& run) {
    pb::StopServicesResponse response;
    response.set_success(run.ok);
    for (const auto& outcome : run.services) {
        (*response.mutable_service_results())[outcome.service] =
            outcome.state == "stopped" ? outcome.message : outcome.state + ": " + outcome.message;
    }
    return response;
}

pb::LogEntry log_entry(const sdk::LogLine& line) {
    pb::LogEntry entry;
    entry.set_service_name(line.service);
    entry.set_container_id(line.container_id);
    entry.set_stream(line.stream);
    entry.set_message(line.message);
    entry.set_timestamp(line.timestamp);
    return entry;
}

pb::HealthUpdate health_update(const sdk::HealthEvent& event) {
    pb::HealthUpdate update;
    update.set_service_name(event.service);
    update.set_healthy(event.healthy);
    update.set_message(event.reason);
    update.set_timestamp(event.timestamp_ms / 1000);
    put(*update.mutable_details(), {{"transition", event.transition},
                                    {"state", event.state},
                                    {"previous", event.previous},
                                    {"probe", event.probe},
                                    {"container_id", event.container_id},
                                    {"tenant", event.tenant}});
    return update;
}

pb::HealthUpdate health_update_from_status(const sdk::ServiceStatus& service, std::int64_t now_seconds) {
    pb::HealthUpdate update;
    update.set_service_name(service.name);
    update.set_healthy(service.healthy);
    update.set_message(service.message);
    update.set_timestamp(now_seconds);
    auto& details = *update.mutable_details();
    put(details, {{"transition", "current"},
                  {"state", service.state},
                  {"container_id", service.container_id},
                  {"tenant", service.tenant}});
    for (const auto& [probe, result] : service.health_checks) details["check." + probe] = result;
    return update;
}

pb::HealthUpdate heartbeat_update(pb::HealthUpdate last, std::int64_t now_seconds) {
    last.set_timestamp(now_seconds);
    put(*last.mutable_details(), {{"transition", "heartbeat"}});
    return last;
}

pb::ExecuteTaskResponse execute_task_response(const sdk::TaskResult& task) {
    pb::ExecuteTaskResponse response;
    response.set_success(task.exit_code == 0);
    put(*response.mutable_result(), {{"exit_code", std::to_string(task.exit_code)},
                                     {"stdout", task.out},
                                     {"stderr", task.error},
                                     {"truncated", task.truncated ? "true" : "false"}});
    if (task.exit_code != 0) response.set_error("exit code " + std::to_string(task.exit_code));
    response.set_latency_ms(task.latency_ms);
    return response;
}

pb::ExecuteTaskResponse timed_out_task_response(const std::string& message, double latency_ms) {
    pb::ExecuteTaskResponse response;
    response.set_success(false);
    response.set_error(message);
    put(*response.mutable_result(), {{"timed_out", "true"}});
    response.set_latency_ms(latency_ms);
    return response;
}

pb::ResourceAvailabilityResponse resource_availability(const sdk::ResourceReport& resources) {
    pb::ResourceAvailabilityResponse response;
    response.set_available(resources.available);
    response.set_capacity(static_cast<std::int32_t>(resources.capacity));
    response.set_in_use(static_cast<std::int32_t>(resources.in_use));
    auto& hardware = *response.mutable_hardware();
    hardware.set_cpu_cores(static_cast<std::int32_t>(resources.cpu_cores));
    hardware.set_memory_bytes(resources.memory_bytes);
    for (const auto& gpu : resources.gpus) {
        auto& out = *hardware.add_gpus();
        out.set_index(gpu.index);
        out.set_name(gpu.name);
        out.set_memory_bytes(gpu.memory_bytes);
        out.set_utilization_percent(gpu.utilization_percent);
    }
    return response;
}

pb::ImagePullProgress image_pull_progress(const sdk::PullProgress& pull) {
    pb::ImagePullProgress progress;
    progress.set_image_name(pull.image);
    progress.set_status(pull.status);
    progress.set_current(pull.current);
    progress.set_total(pull.total);
    progress.set_progress_percent(pull.percent);
    return progress;
}

}  // namespace envmgr::plugins::frontends::grpc_frontend
