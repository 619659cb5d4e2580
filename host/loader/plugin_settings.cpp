#include "host/loader/plugin_settings.h"

#include "host/config/config_value.h"

#include <cstdlib>
#include <optional>

namespace envmgr::host::loader {
namespace {

std::optional<config::ValueType> value_type_of(const std::string& name) {
    if (name == "string") return config::ValueType::string;
    if (name == "integer") return config::ValueType::integer;
    if (name == "boolean") return config::ValueType::boolean;
    if (name == "array") return config::ValueType::string_list;
    return std::nullopt;
}

bool matches(const nlohmann::json& value, const std::string& type) {
    if (type == "string") return value.is_string();
    if (type == "integer") return value.is_number_integer();
    if (type == "number") return value.is_number();
    if (type == "boolean") return value.is_boolean();
    if (type == "array") return value.is_array();
    if (type == "table") return value.is_object();
    return false;
}

nlohmann::json to_json(const config::Value& value) {
    return std::visit([](const auto& v) { return nlohmann::json(v); }, value);
}

// The host settings a plugin's schema may start a key from (plugin-config.md, host_key).
std::optional<nlohmann::json> host_setting(const config::Config& config, const std::string& key) {
    if (key == "server.grpc_addr") return config.grpc_addr;
    if (key == "server.metrics_addr") return config.metrics_addr;
    return std::nullopt;
}

}  // namespace

PluginSettings resolve_plugin_settings(const std::string& plugin_id, const char* schema_json,
                                       const config::Config& config, const config::Environment& environment) {
    PluginSettings result;
    nlohmann::json schema = nlohmann::json::object();
    if (schema_json != nullptr) {
        schema = nlohmann::json::parse(schema_json, nullptr, false);
        if (!schema.is_object()) {
            result.errors.push_back("plugin '" + plugin_id +
                                    "' ships a config schema that is not a JSON object");
            return result;
        }
    }
    for (const auto& [key, spec] : schema.items()) {
        if (spec.contains("default")) result.values[key] = spec["default"];
        // A key that is the host's own setting (a frontend's listen address) starts from it.
        const std::string host_key = spec.value("host_key", "");
        if (host_key.empty()) continue;
        if (const auto value = host_setting(config, host_key)) {
            result.values[key] = *value;
        } else {
            result.errors.push_back("plugin '" + plugin_id + "': config schema key '" + key +
                                    "' names an unknown host setting '" + host_key + "'");
        }
    }

    const auto origin_of = [&](const std::string& key) {
        const auto it = config.plugin_setting_origins.find(plugin_id + "." + key);
        return it != config.plugin_setting_origins.end() ? it->second : config.config_file;
    };
    if (const auto it = config.plugin_settings.find(plugin_id); it != config.plugin_settings.end()) {
        for (const auto& [key, value] : it->second.items()) {
            const std::string where = origin_of(key) + ": 'plugins." + plugin_id + "." + key + "': ";
            if (!schema.contains(key)) {
                result.errors.push_back(where + "unknown key for plugin '" + plugin_id + "'");
                continue;
            }
            const std::string type = schema[key].value("type", "string");
            if (!matches(value, type)) {
                result.errors.push_back(where + "expected " + type + ", got " + value.type_name());
                continue;
            }
            result.values[key] = value;
        }
    }

    for (const auto& [key, spec] : schema.items()) {
        const std::string variable = spec.value("env", "");
        if (variable.empty()) continue;
        const auto text = environment(variable);
        if (!text) continue;
        const std::string type = spec.value("type", "string");
        const auto value_type = value_type_of(type);
        auto value = value_type ? config::parse_env_value(*value_type, *text) : std::nullopt;
        if (type == "number") {
            char* end = nullptr;
            const double number = std::strtod(text->c_str(), &end);
            if (end != nullptr && *end == '\0' && end != text->c_str()) {
                result.values[key] = number;
                continue;
            }
        }
        if (!value) {
            result.errors.push_back(variable + ": 'plugins." + plugin_id + "." + key + "': expected " + type +
                                    ", got '" + *text + "'");
            continue;
        }
        result.values[key] = to_json(*value);
    }
    return result;
}

}  // namespace envmgr::host::loader
