// The host's documents (manager-operations.md, status-snapshot.md, events.md), read into the
// SDK's types where they arrive, as env_manager.v1 messages. Pure: unit-tested without a server.
#pragma once

#include <env_manager/v1/env_manager.pb.h>
#include <envmgr/sdk/documents/manager_documents.h>
#include <envmgr/sdk/documents/read_document.h>
#include <envmgr/sdk/documents/status_snapshot.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envmgr::plugins::frontends::grpc_frontend {

namespace pb = ::env_manager::v1;

// A host document as it arrives (an item's or a result's payload), read into its type; a
// malformed one reads as the type's defaults, so that a message is still sent (the host writes
// these documents itself, from the same types).
template <typename Document>
Document read_or_default(std::string_view json_text) {
    return sdk::read_document<Document>(json_text).value_or(Document{});
}

// A status document (a start's item): service_name, status (the state), message, progress.
pb::ServiceStatusUpdate status_update(const sdk::StatusDocument& status);

// "service 'NAME' failed: REASON" (a failed start's message) -> NAME; "" when it is not that.
std::string failed_service_of(const std::string& start_message);

// One service of a status snapshot.
pb::ServiceStatus service_status(const sdk::ServiceStatus& service);

// The snapshot's services named in `names` (all when empty); the first name the snapshot does
// not hold is returned in `unknown` and the response is then empty.
pb::ServicesStatusResponse services_status(const sdk::StatusSnapshot& snapshot,
                                           const std::vector<std::string>& names, std::string& unknown);

// The first of `names` that the snapshot does not hold; "" when it holds them all.
std::string first_unknown(const sdk::StatusSnapshot& snapshot, const std::vector<std::string>& names);

// A stop's run result: success, and per service "stopped", "stopped with SIGKILL: ..." or why not.
pb::StopServicesResponse stop_response(const sdk::RunResult& run);

// A services.logs item: one line of stdout or stderr with the engine's timestamp.
pb::LogEntry log_entry(const sdk::LogLine& line);

// A `health` event of the bus.
pb::HealthUpdate health_update(const sdk::HealthEvent& event);
// A service of a snapshot, as the first update and the heartbeats of StreamHealth carry it.
pb::HealthUpdate health_update_from_status(const sdk::ServiceStatus& service, std::int64_t now_seconds);
// A heartbeat: the last update of a service again, stamped now, its transition "heartbeat".
pb::HealthUpdate heartbeat_update(pb::HealthUpdate last, std::int64_t now_seconds);

// A tasks.execute result: success is exit code 0; result carries exit_code, stdout, stderr,
// truncated (as strings); error says the exit code when it is not 0.
pb::ExecuteTaskResponse execute_task_response(const sdk::TaskResult& task);
// A task that ran out of its time: not a failed call but a failed task, with the reason.
pb::ExecuteTaskResponse timed_out_task_response(const std::string& message, double latency_ms);

// A resources.get document.
pb::ResourceAvailabilityResponse resource_availability(const sdk::ResourceReport& resources);

// An images.pull item.
pb::ImagePullProgress image_pull_progress(const sdk::PullProgress& pull);

}  // namespace envmgr::plugins::frontends::grpc_frontend
