#include "host/config/config_keys.h"

#include "host/config/log_level.h"

#include <charconv>

namespace envmgr::host::config {
namespace {

using Apply = std::function<std::optional<std::string>(Config&, const Value&)>;

// host:port with a port in 1..65535; the host part may be empty, a name or [v6].
std::optional<std::string> check_address(const std::string& address) {
    if (address.rfind("unix:", 0) == 0) {
        if (address.size() > 5 && address[5] == '/') return std::nullopt;
        return "expected unix:/ABSOLUTE/PATH, got '" + address + "'";
    }
    const auto colon = address.rfind(':');
    if (colon == std::string::npos) return "expected HOST:PORT, got '" + address + "'";
    int port = 0;
    const char* begin = address.data() + colon + 1;
    const char* end = address.data() + address.size();
    const auto [ptr, ec] = std::from_chars(begin, end, port);
    if (ec != std::errc() || ptr != end || port < 1 || port > 65535) {
        return "expected HOST:PORT with a port in 1..65535, got '" + address + "'";
    }
    return std::nullopt;
}

Apply address_into(std::string Config::*member) {
    return [member](Config& config, const Value& value) -> std::optional<std::string> {
        const auto& text = std::get<std::string>(value);
        if (auto error = check_address(text)) return error;
        config.*member = text;
        return std::nullopt;
    };
}

Apply at_least_into(std::int64_t Config::*member, std::int64_t minimum) {
    return [member, minimum](Config& config, const Value& value) -> std::optional<std::string> {
        const auto number = std::get<std::int64_t>(value);
        if (number < minimum) return "must be at least " + std::to_string(minimum);
        config.*member = number;
        return std::nullopt;
    };
}

std::optional<std::string> apply_log_level(Config& config, const Value& value) {
    const auto& text = std::get<std::string>(value);
    auto level = level_from_directives(text);
    if (!level) {
        return "expected one of trace, debug, info, warn, error, off (or target=level "
               "directives), got '" +
               text + "'";
    }
    config.log_level = *level;
    return std::nullopt;
}

std::optional<std::string> apply_log_format(Config& config, const Value& value) {
    const auto& text = std::get<std::string>(value);
    if (text == "text") {
        config.log_format = LogFormat::text;
    } else if (text == "json") {
        config.log_format = LogFormat::json;
    } else {
        return "expected text or json, got '" + text + "'";
    }
    return std::nullopt;
}

}  // namespace

const std::vector<KeyDefinition>& config_keys() {
    static const std::vector<KeyDefinition> keys{
        {"server.grpc_addr", "ENV_MANAGER_GRPC_ADDR", "", ValueType::string, "0.0.0.0:50100",
         "gRPC listen address (HOST:PORT or unix:/PATH)", address_into(&Config::grpc_addr)},
        {"server.metrics_addr", "ENV_MANAGER_METRICS_ADDR", "", ValueType::string, "0.0.0.0:50101",
         "HTTP /health and /metrics listen address (HOST:PORT)", address_into(&Config::metrics_addr)},
        {"log.level", "ENV_MANAGER_LOG", "RUST_LOG", ValueType::string, "info",
         "trace, debug, info, warn, error or off; RUST_LOG is read when ENV_MANAGER_LOG is unset",
         &apply_log_level},
        {"log.format", "ENV_MANAGER_LOG_FORMAT", "", ValueType::string, "text",
         "text (coloured on a terminal) or json (one object per line)", &apply_log_format},
        {"log.verbose", "ENV_MANAGER_VERBOSE", "", ValueType::boolean, "false",
         "debug logging when no level is set explicitly",
         [](Config& config, const Value& value) -> std::optional<std::string> {
             config.verbose = std::get<bool>(value);
             return std::nullopt;
         }},
        {"scheduler.max_concurrent_starts", "ENV_MANAGER_MAX_CONCURRENT", "", ValueType::integer, "5",
         "containers started at the same time", at_least_into(&Config::max_concurrent_starts, 1)},
        {"scheduler.health_timeout_seconds", "ENV_MANAGER_HEALTH_TIMEOUT", "", ValueType::integer, "60",
         "seconds a service may take to become healthy", at_least_into(&Config::health_timeout_seconds, 1)},
        {"scheduler.restart_backoff_max_seconds", "", "", ValueType::integer, "300",
         "cap of the restart back-off (1 s, doubling per restart)",
         at_least_into(&Config::restart_backoff_max_seconds, 1)},
        {"scheduler.restart_stable_seconds", "", "", ValueType::integer, "600",
         "a service that ran this long before it exited starts its back-off again at 1 s",
         at_least_into(&Config::restart_stable_seconds, 1)},
        {"health.interval_ms", "ENV_MANAGER_HEALTH_INTERVAL_MS", "", ValueType::integer, "5000",
         "milliseconds between checks of a service once it is ready",
         at_least_into(&Config::health_interval_ms, 100)},
        {"health.readiness_interval_ms", "", "", ValueType::integer, "25",
         "milliseconds between checks while a service is not ready yet",
         at_least_into(&Config::health_readiness_interval_ms, 5)},
        {"health.readiness_fast_period_ms", "", "", ValueType::integer, "2000",
         "how long after a container starts its checks stay that fast",
         at_least_into(&Config::health_readiness_fast_period_ms, 0)},
        {"health.readiness_max_interval_ms", "", "", ValueType::integer, "1000",
         "after the fast period the interval grows x1.5 per check up to this",
         at_least_into(&Config::health_readiness_max_interval_ms, 10)},
        {"health.max_concurrent_checks", "ENV_MANAGER_MAX_CONCURRENT_CHECKS", "", ValueType::integer, "32",
         "probe checks in flight at once, daemon-wide",
         at_least_into(&Config::health_max_concurrent_checks, 1)},
        {"health.no_probe_ready_ms", "", "", ValueType::integer, "500",
         "a service without a probe is ready once its container has run this long without exiting",
         at_least_into(&Config::health_no_probe_ready_ms, 0)},
        {"health.probe_address", "", "", ValueType::string, "auto",
         "how probes reach a container: auto (its own address where routable), container, published",
         [](Config& config, const Value& value) -> std::optional<std::string> {
             const auto& text = std::get<std::string>(value);
             if (text != "auto" && text != "container" && text != "published") {
                 return "expected auto, container or published, got '" + text + "'";
             }
             config.health_probe_address = text;
             return std::nullopt;
         }},
        {"plugins.path", "ENV_MANAGER_PLUGIN_PATH", "", ValueType::string_list,
         "the plugins folder installed next to the binary",
         "folders searched for plugin libraries (colon separated in the environment)",
         [](Config& config, const Value& value) -> std::optional<std::string> {
             config.plugin_path = std::get<std::vector<std::string>>(value);
             return std::nullopt;
         }},
        {"plugins.backend", "ENV_MANAGER_BACKEND", "", ValueType::string,
         "backend.docker, or the first backend found without it",
         "the backend plugin that runs the services (e.g. backend.swarm); the other backends found stay idle",
         [](Config& config, const Value& value) -> std::optional<std::string> {
             config.backend = std::get<std::string>(value);
             return std::nullopt;
         }},
        {"plugins.stop_timeout_seconds", "", "", ValueType::integer, "5",
         "seconds each plugin may take to stop at shutdown",
         at_least_into(&Config::plugin_stop_timeout_seconds, 0)},
        {"shutdown.stop_services", "", "", ValueType::boolean, "true",
         "stop every running service when the daemon shuts down; false leaves them for the next start to "
         "adopt",
         [](Config& config, const Value& value) -> std::optional<std::string> {
             config.shutdown_stop_services = std::get<bool>(value);
             return std::nullopt;
         }},
        {"shutdown.timeout_seconds", "", "", ValueType::integer, "30",
         "how long stopping the services at shutdown may take in all",
         at_least_into(&Config::shutdown_timeout_seconds, 1)},
        {"stats.interval_seconds", "", "", ValueType::integer, "5",
         "between resource usage polls of each running container (one container.stats each); 0: never",
         at_least_into(&Config::stats_interval_seconds, 0)},
        {"tasks.cpu_short_capacity", "", "", ValueType::integer, "-1",
         "ExecuteTask calls of class cpu_short at once; -1: the host's CPU cores",
         at_least_into(&Config::tasks_cpu_short_capacity, -1)},
        {"tasks.cpu_long_capacity", "", "", ValueType::integer, "-1",
         "ExecuteTask calls of class cpu_long at once; -1: half the CPU cores (at least 1)",
         at_least_into(&Config::tasks_cpu_long_capacity, -1)},
        {"tasks.gpu_capacity", "", "", ValueType::integer, "-1",
         "ExecuteTask calls of class gpu at once; -1: the NVIDIA GPUs nvidia-smi lists at start (0 without)",
         at_least_into(&Config::tasks_gpu_capacity, -1)},
        {"tasks.default_timeout_seconds", "", "", ValueType::integer, "300",
         "an ExecuteTask call's timeout when it gives none",
         at_least_into(&Config::tasks_default_timeout_seconds, 1)},
        {"tasks.nvidia_smi", "", "", ValueType::string, "nvidia-smi",
         "the program that lists NVIDIA GPUs (looked up on PATH); absent: no GPU is reported",
         [](Config& config, const Value& value) -> std::optional<std::string> {
             config.tasks_nvidia_smi = std::get<std::string>(value);
             return std::nullopt;
         }},
    };
    return keys;
}

bool is_known_table(std::string_view dotted_prefix) {
    for (const auto& key : config_keys()) {
        if (key.key.size() > dotted_prefix.size() && key.key.starts_with(dotted_prefix) &&
            key.key[dotted_prefix.size()] == '.') {
            return true;
        }
    }
    return false;
}

}  // namespace envmgr::host::config
