// A plugin's configuration read against its own schema (docs/plugin-config.md): a key the
// configuration leaves out takes the schema's `default`, so each default is stated once, in the
// schema. The host fills the defaults in before create; reading through this keeps a plugin
// made directly (a unit test, another host) on the same values.
#pragma once

#include <envmgr/sdk/status.h>

#include <nlohmann/json.hpp>

#include <string>

namespace envmgr::sdk {

class PluginConfig {
public:
    // schema_json: the plugin's config_schema(); a schema that is not a JSON object adds nothing.
    PluginConfig(const nlohmann::json& config, const char* schema_json)
        : values_(config.is_object() ? config : nlohmann::json::object()) {
        const auto schema = nlohmann::json::parse(schema_json != nullptr ? schema_json : "", nullptr, false);
        if (!schema.is_object()) return;
        for (const auto& [key, property] : schema.items()) {
            if (!values_.contains(key) && property.is_object() && property.contains("default")) {
                values_[key] = property["default"];
            }
        }
    }

    // The key's value as T; ENVMGR_STATUS_INVALID naming the key when it is missing from both
    // the configuration and the schema's defaults, or is not a T.
    template <typename T>
    [[nodiscard]] T get(const std::string& key) const {
        const auto found = values_.find(key);
        if (found == values_.end()) {
            throw Error(ENVMGR_STATUS_INVALID, key + ": not set, and the schema has no default");
        }
        try {
            return found->get<T>();
        } catch (const nlohmann::json::exception&) {
            throw Error(ENVMGR_STATUS_INVALID, key + ": has the wrong type (" + found->type_name() + ")");
        }
    }

    // The key's value as T, or fallback when neither the configuration nor the schema sets it
    // (a key whose default is the host's, e.g. a frontend's `host_key` address).
    template <typename T>
    [[nodiscard]] T get_or(const std::string& key, T fallback) const {
        return values_.contains(key) ? get<T>(key) : fallback;
    }

    [[nodiscard]] const nlohmann::json& json() const noexcept { return values_; }

private:
    nlohmann::json values_;
};

}  // namespace envmgr::sdk
