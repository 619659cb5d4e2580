#include "plugins/frontends/grpc/wire_documents.h"
#include "plugins/frontends/grpc/status_codes.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::frontends::grpc_frontend {
namespace {

// A host document as the frontend reads it: JSON into the SDK's type.
template <typename Document>
Document doc(const nlohmann::json& json) {
    return json.get<Document>();
}
template <typename Document>
Document doc(const char* text) {
    const auto read = sdk::read_document<Document>(text);
    EXPECT_TRUE(read.has_value()) << text;
    return read.value_or(Document{});
}

TEST(WireDocuments, AStatusDocumentIsAnUpdate) {
    const auto update = status_update(doc<sdk::StatusDocument>(
        R"({"tenant": "default", "service": "redis", "state": "pulling", "message": "pulling redis: 40 %",
            "percent": 40, "container_id": ""})"));
    EXPECT_EQ(update.service_name(), "redis");
    EXPECT_EQ(update.status(), "pulling");
    EXPECT_EQ(update.message(), "pulling redis: 40 %");
    EXPECT_EQ(update.progress(), 40);
    // Not a document: the defaults, no throw.
    EXPECT_EQ(status_update(read_or_default<sdk::StatusDocument>("null")).service_name(), "");
    EXPECT_EQ(status_update(read_or_default<sdk::StatusDocument>(R"({"percent": "x"})")).progress(), 0);
}

TEST(WireDocuments, TheFailedServiceIsReadFromAStartsMessage) {
    EXPECT_EQ(failed_service_of("service 'redis' failed: not ready within 60 s"), "redis");
    EXPECT_EQ(failed_service_of("tenant 'x' is not configured"), "");
    EXPECT_EQ(failed_service_of("service 'unterminated"), "");
}

TEST(WireDocuments, ASnapshotIsFilteredByNameAndUnknownNamesAreNamed) {
    const auto snapshot = doc<sdk::StatusSnapshot>(R"({"timestamp": 1, "services": [
      {"name": "redis", "state": "healthy", "healthy": true, "container_id": "c1", "ports": [6379],
       "started_at": 1700000000, "health_checks": {"tcp": "+PONG"},
       "resource_usage": {"cpu_percent": 1.5, "memory_bytes": 1000, "network_rx_bytes": 2, "network_tx_bytes": 3}},
      {"name": "redb", "state": "restarting", "container_id": "c2", "ports": [], "started_at": 0,
       "health_checks": {}, "message": "exited with code 1; restart 2 in 2000 ms", "restart_count": 2,
       "next_restart_at": 1700000002}]})");
    std::string unknown;
    const auto all = services_status(snapshot, {}, unknown);
    EXPECT_TRUE(unknown.empty());
    ASSERT_EQ(all.services().size(), 2U);
    const auto& redis = all.services().at("redis");
    EXPECT_EQ(redis.status(), "healthy");
    EXPECT_EQ(redis.container_id(), "c1");
    ASSERT_EQ(redis.ports().size(), 1);
    EXPECT_EQ(redis.ports(0), 6379);
    EXPECT_EQ(redis.health_checks().at("tcp"), "+PONG");
    EXPECT_EQ(redis.started_at(), 1700000000);
    EXPECT_DOUBLE_EQ(redis.resource_usage().cpu_percent(), 1.5);
    EXPECT_EQ(redis.resource_usage().memory_bytes(), 1000);
    const auto one = services_status(snapshot, {"redb"}, unknown);
    EXPECT_EQ(one.services().size(), 1U);
    // The restart policy at work is visible: why, how many restarts, when the next is due.
    const auto& redb = one.services().at("redb");
    EXPECT_EQ(redb.message(), "exited with code 1; restart 2 in 2000 ms");
    EXPECT_EQ(redb.restart_count(), 2);
    EXPECT_EQ(redb.next_restart_at(), 1700000002);
    const auto missing = services_status(snapshot, {"redis", "nope"}, unknown);
    EXPECT_EQ(unknown, "nope");
    EXPECT_TRUE(missing.services().empty());
}

TEST(WireDocuments, AStopResultSaysPerServiceWhatHappened) {
    const auto response = stop_response(doc<sdk::RunResult>(R"({"ok": false, "message": "m", "services": [
      {"service": "router", "state": "stopped", "message": "stopped", "killed": false},
      {"service": "worker", "state": "stopped", "message": "stopped with SIGKILL: it did not stop within 1 s of SIGTERM", "killed": true},
      {"service": "redis", "state": "failed", "message": "cannot stop: engine gone"}]})"));
    EXPECT_FALSE(response.success());
    EXPECT_EQ(response.service_results().at("router"), "stopped");
    EXPECT_EQ(response.service_results().at("worker"),
              "stopped with SIGKILL: it did not stop within 1 s of SIGTERM");
    EXPECT_EQ(response.service_results().at("redis"), "failed: cannot stop: engine gone");
}

TEST(WireDocuments, HealthEventsAndSnapshotsAreHealthUpdates) {
    const auto update = health_update(doc<sdk::HealthEvent>(
        R"({"tenant": "default", "service": "redis", "container_id": "c1", "transition": "unhealthy",
            "state": "unhealthy", "previous": "ready", "healthy": false, "reason": "connection refused",
            "probe": "tcp", "timestamp_ms": 1700000000123})"));
    EXPECT_EQ(update.service_name(), "redis");
    EXPECT_FALSE(update.healthy());
    EXPECT_EQ(update.message(), "connection refused");
    EXPECT_EQ(update.timestamp(), 1700000000);
    EXPECT_EQ(update.details().at("transition"), "unhealthy");
    EXPECT_EQ(update.details().at("probe"), "tcp");
    const auto current = health_update_from_status(
        doc<sdk::ServiceStatus>(R"({"name": "redis", "tenant": "default", "state": "healthy", "healthy": true,
                                  "message": "+PONG", "container_id": "c1", "health_checks": {"tcp": "+PONG"}})"),
        42);
    EXPECT_TRUE(current.healthy());
    EXPECT_EQ(current.timestamp(), 42);
    EXPECT_EQ(current.details().at("transition"), "current");
    EXPECT_EQ(current.details().at("check.tcp"), "+PONG");
}

TEST(WireDocuments, ALogItemIsALogEntry) {
    const auto entry = log_entry(doc<sdk::LogLine>(
        R"({"service": "redis", "container_id": "c1", "stream": "stderr", "message": "oops", "timestamp": 1700000001})"));
    EXPECT_EQ(entry.service_name(), "redis");
    EXPECT_EQ(entry.container_id(), "c1");
    EXPECT_EQ(entry.stream(), "stderr");
    EXPECT_EQ(entry.message(), "oops");
    EXPECT_EQ(entry.timestamp(), 1700000001);
}

TEST(StatusCodes, EveryHostStatusHasItsGrpcCode) {
    EXPECT_EQ(grpc_code(ENVMGR_STATUS_NOT_FOUND), grpc::StatusCode::NOT_FOUND);
    EXPECT_EQ(grpc_code(ENVMGR_STATUS_INVALID), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_EQ(grpc_code(ENVMGR_STATUS_CONFLICT), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(grpc_code(ENVMGR_STATUS_UNAVAILABLE), grpc::StatusCode::UNAVAILABLE);
    EXPECT_EQ(grpc_code(ENVMGR_STATUS_TIMEOUT), grpc::StatusCode::DEADLINE_EXCEEDED);
    EXPECT_EQ(grpc_code(ENVMGR_STATUS_UNSUPPORTED), grpc::StatusCode::UNIMPLEMENTED);
    EXPECT_EQ(grpc_code(ENVMGR_STATUS_CANCELLED), grpc::StatusCode::CANCELLED);
    EXPECT_EQ(grpc_code(static_cast<envmgr_status>(999)), grpc::StatusCode::INTERNAL);
    EXPECT_TRUE(grpc_status(ENVMGR_STATUS_OK, "ignored").ok());
    EXPECT_EQ(grpc_status(ENVMGR_STATUS_NOT_FOUND, "no service 'x'").error_message(), "no service 'x'");
}

TEST(WireDocuments, ATaskResultIsSuccessOnlyForExitCodeZero) {
    const auto failed = execute_task_response(doc<sdk::TaskResult>(
        {{"exit_code", 3}, {"stdout", "o"}, {"stderr", "e"}, {"truncated", true}, {"latency_ms", 12.5}}));
    EXPECT_FALSE(failed.success());
    EXPECT_EQ(failed.error(), "exit code 3");
    EXPECT_EQ(failed.result().at("exit_code"), "3");
    EXPECT_EQ(failed.result().at("stdout"), "o");
    EXPECT_EQ(failed.result().at("stderr"), "e");
    EXPECT_EQ(failed.result().at("truncated"), "true");
    EXPECT_DOUBLE_EQ(failed.latency_ms(), 12.5);
    const auto ok =
        execute_task_response(doc<sdk::TaskResult>({{"exit_code", 0}, {"stdout", ""}, {"stderr", ""}}));
    EXPECT_TRUE(ok.success());
    EXPECT_EQ(ok.error(), "");
    const auto late = timed_out_task_response("timeout: killed", 1000.0);
    EXPECT_FALSE(late.success());
    EXPECT_EQ(late.result().at("timed_out"), "true");
}

TEST(WireDocuments, ResourcesAndPullProgressCarryEveryField) {
    const auto resources = resource_availability(doc<sdk::ResourceReport>(
        {{"available", true},
         {"capacity", 4},
         {"in_use", 1},
         {"cpu_cores", 2},
         {"memory_bytes", 1024},
         {"gpus", {{{"index", 0}, {"name", "T4"}, {"memory_bytes", 16}, {"utilization_percent", 5.5}}}}}));
    EXPECT_TRUE(resources.available());
    EXPECT_EQ(resources.capacity(), 4);
    EXPECT_EQ(resources.in_use(), 1);
    EXPECT_EQ(resources.hardware().cpu_cores(), 2);
    EXPECT_EQ(resources.hardware().memory_bytes(), 1024);
    ASSERT_EQ(resources.hardware().gpus_size(), 1);
    EXPECT_EQ(resources.hardware().gpus(0).name(), "T4");
    EXPECT_DOUBLE_EQ(resources.hardware().gpus(0).utilization_percent(), 5.5);
    const auto progress = image_pull_progress(doc<sdk::PullProgress>(
        {{"image", "redis:7"}, {"status", "downloading"}, {"current", 5}, {"total", 10}, {"percent", 50}}));
    EXPECT_EQ(progress.image_name(), "redis:7");
    EXPECT_EQ(progress.status(), "downloading");
    EXPECT_EQ(progress.current(), 5);
    EXPECT_EQ(progress.total(), 10);
    EXPECT_EQ(progress.progress_percent(), 50);
}

}  // namespace
}  // namespace envmgr::plugins::frontends::grpc_frontend
