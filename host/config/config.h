// The daemon's effective configuration: defaults < TOML file < environment.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace envmgr::host::config {

enum class LogFormat { text, json };

struct Config {
    std::string grpc_addr = "0.0.0.0:50100";
    std::string metrics_addr = "0.0.0.0:50101";
    std::string log_level = "info";  // trace | debug | info | warn | error | off
    LogFormat log_format = LogFormat::text;
    bool verbose = false;  // debug logging unless a level was set explicitly
    std::int64_t max_concurrent_starts = 5;
    std::int64_t health_timeout_seconds = 60;
    std::int64_t restart_backoff_max_seconds = 300;  // restart back-off cap (1 s doubling)
    std::int64_t restart_stable_seconds = 600;       // a run this long resets the back-off
    // The health supervisor (host/health): how often probes run, how many at once.
    std::int64_t health_interval_ms = 5000;                // between checks once a service is ready
    std::int64_t health_readiness_interval_ms = 25;        // between checks while waiting for ready
    std::int64_t health_readiness_fast_period_ms = 2000;   // that fast for this long after start
    std::int64_t health_readiness_max_interval_ms = 1000;  // then backing off x1.5 up to this
    std::int64_t health_max_concurrent_checks = 32;        // daemon-wide
    std::int64_t health_no_probe_ready_ms = 500;  // a service without a probe: ready after running this long
    std::string health_probe_address = "auto";    // auto | container | published
    std::vector<std::string> plugin_path;         // empty: the folder installed next to the binary
    std::string backend;  // the backend plugin's id; "": backend.docker when found, else the first backend
    std::int64_t plugin_stop_timeout_seconds = 5;
    bool shutdown_stop_services = true;  // stop the services at shutdown (the earlier implementation did)
    std::int64_t shutdown_timeout_seconds = 30;
    std::int64_t stats_interval_seconds = 5;  // resource usage polls (host/stats); 0: never
    // ExecuteTask (host/tasks): capacity per workload class (-1: from the host), timeout.
    std::int64_t tasks_cpu_short_capacity = -1;
    std::int64_t tasks_cpu_long_capacity = -1;
    std::int64_t tasks_gpu_capacity = -1;
    std::int64_t tasks_default_timeout_seconds = 300;
    std::string tasks_nvidia_smi = "nvidia-smi";
    std::string config_file;                 // "" when no file was read
    std::vector<std::string> compose_files;  // --compose FILE (absolute): Compose files of the default tenant

    // [plugins."<id>"] tables as JSON objects, validated against each plugin's schema
    // when the plugin loads.
    std::map<std::string, nlohmann::json> plugin_settings;
    // Where each plugin setting came from ("file:line:column" or "ENV_VAR"), for errors.
    std::map<std::string, std::string> plugin_setting_origins;

    // The service tables, as read (strings interpolated), for the registry (host/registry):
    // [services.NAME], [defaults] and [tenants.NAME], each an object ({} when absent).
    nlohmann::json services = nlohmann::json::object();
    nlohmann::json defaults = nlohmann::json::object();
    nlohmann::json tenants = nlohmann::json::object();
    // Where each of their keys and array items was written: "services.redis.ports[0]" ->
    // "file:line:column", so a registry error can point at the line.
    std::map<std::string, std::string> service_origins;
};

}  // namespace envmgr::host::config
