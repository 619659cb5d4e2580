// The documents of the manager operations and of the bus events frontends read
// (plugin_api/docs/manager-operations.md, events.md), typed. The host writes them from these
// types and a frontend reads them into these types once, where the JSON arrives
// (sdk::read_document, read_document.h), and from there on by field.
#pragma once

#include <envmgr/sdk/documents/read_document.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace envmgr::sdk {

// An item of services.start and an event of the `status` topic.
struct StatusDocument {
    std::string tenant;
    std::string service;
    std::string state;  // as ServiceStatus::state
    std::string message;
    int percent = 0;  // of the way to ready
    std::string container_id;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(StatusDocument, tenant, service, state, message, percent,
                                                container_id)

// One service's part of a run (a start or a stop).
struct RunOutcome {
    std::string service;
    std::string state;
    std::string message;
    std::string container_id;
    bool optional = false;
    bool killed = false;  // its stop needed SIGKILL
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunOutcome, service, state, message, container_id, optional,
                                                killed)

// The result of services.start, services.stop and services.restart.
struct RunResult {
    bool ok = false;
    std::string message;
    std::vector<RunOutcome> services;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RunResult, ok, message, services)

// An item of services.logs: one line.
struct LogLine {
    std::string service;
    std::string container_id;
    std::string stream;  // stdout | stderr
    std::string message;
    std::int64_t timestamp = 0;  // unix seconds, the engine's
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LogLine, service, container_id, stream, message, timestamp)

// An event of the `health` topic (events.md).
struct HealthEvent {
    std::string tenant;
    std::string service;
    std::string container_id;
    std::string transition;  // ready, unhealthy, recovered, exited
    std::string state;
    std::string previous;
    bool healthy = false;
    std::string reason;
    std::string probe;
    std::int64_t timestamp_ms = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(HealthEvent, tenant, service, container_id, transition, state,
                                                previous, healthy, reason, probe, timestamp_ms)

// The result of tasks.execute. (Written by hand: `stdout` and `stderr` are macros of <cstdio>.)
struct TaskResult {
    int exit_code = -1;
    std::string out;    // "stdout"
    std::string error;  // "stderr"
    bool truncated = false;
    double latency_ms = 0.0;
};
inline void to_json(nlohmann::json& json, const TaskResult& result) {
    json = {{"exit_code", result.exit_code},
            {"stdout", result.out},
            {"stderr", result.error},
            {"truncated", result.truncated},
            {"latency_ms", result.latency_ms}};
}
inline void from_json(const nlohmann::json& json, TaskResult& result) {
    const TaskResult defaults;
    result.exit_code = json.value("exit_code", defaults.exit_code);
    result.out = json.value("stdout", defaults.out);
    result.error = json.value("stderr", defaults.error);
    result.truncated = json.value("truncated", defaults.truncated);
    result.latency_ms = json.value("latency_ms", defaults.latency_ms);
}

struct GpuFigures {
    int index = 0;
    std::string name;
    std::int64_t memory_bytes = 0;
    double utilization_percent = 0.0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(GpuFigures, index, name, memory_bytes, utilization_percent)

struct ClassSlots {
    std::int64_t capacity = 0;
    std::int64_t in_use = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ClassSlots, capacity, in_use)

// The result of resources.get.
struct ResourceReport {
    std::string workload_class;
    std::int64_t capacity = 0;
    std::int64_t in_use = 0;
    bool available = false;
    std::int64_t cpu_cores = 0;
    std::int64_t memory_bytes = 0;
    std::vector<GpuFigures> gpus;
    std::string gpu_note;
    std::map<std::string, ClassSlots> classes;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ResourceReport, workload_class, capacity, in_use, available,
                                                cpu_cores, memory_bytes, gpus, gpu_note, classes)

// An item of images.pull.
struct PullProgress {
    std::string image;
    std::string status;  // downloading | extracting | complete | error
    std::int64_t current = 0;
    std::int64_t total = 0;
    int percent = 0;
    std::string error;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PullProgress, image, status, current, total, percent, error)

}  // namespace envmgr::sdk
