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
    std::vector<std::string> plugin_path;  // empty: the folder installed next to the binary
    std::int64_t plugin_stop_timeout_seconds = 5;
    std::string config_file;  // "" when no file was read

    // [plugins."<id>"] tables as JSON objects, validated against each plugin's schema
    // when the plugin loads.
    std::map<std::string, nlohmann::json> plugin_settings;
    // Where each plugin setting came from ("file:line:column" or "ENV_VAR"), for errors.
    std::map<std::string, std::string> plugin_setting_origins;
};

}  // namespace envmgr::host::config
