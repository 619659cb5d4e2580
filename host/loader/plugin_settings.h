// A plugin's configuration: its schema's defaults < [plugins."<id>"] in TOML < the
// environment variables the schema names.
#pragma once

#include "host/config/config.h"
#include "host/config/environment.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace envmgr::host::loader {

struct PluginSettings {
    nlohmann::json values = nlohmann::json::object();
    std::vector<std::string> errors;  // each names where and which key
};

// schema_json: the descriptor's config_schema_json (may be null: no keys accepted).
PluginSettings resolve_plugin_settings(const std::string& plugin_id, const char* schema_json,
                                       const config::Config& config, const config::Environment& environment);

}  // namespace envmgr::host::loader
