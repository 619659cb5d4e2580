#include "host/config/config_loader.h"

#include "host/config/config_keys.h"
#include "host/config/toml_reader.h"

namespace envmgr::host::config {

LoadResult load_config(const Environment& environment, const std::string& file_path) {
    LoadResult result;
    std::set<std::string> explicit_keys;

    const std::string path = !file_path.empty() ? file_path : environment("ENV_MANAGER_CONFIG").value_or("");
    if (!path.empty()) {
        result.config.config_file = path;
        explicit_keys = read_toml_file(path, environment, result.config, result.errors);
    }

    for (const auto& definition : config_keys()) {
        std::string_view variable = definition.env;
        std::optional<std::string> text = variable.empty() ? std::nullopt : environment(variable);
        if (!text && !definition.fallback_env.empty()) {
            variable = definition.fallback_env;
            text = environment(variable);
        }
        if (!text) continue;
        const auto value = parse_env_value(definition.type, *text);
        if (!value) {
            result.errors.push_back(
                {std::string(variable), 0, 0, std::string(definition.key),
                 "expected " + std::string(type_name(definition.type)) + ", got '" + *text + "'"});
            continue;
        }
        if (auto problem = definition.apply(result.config, *value)) {
            result.errors.push_back({std::string(variable), 0, 0, std::string(definition.key), *problem});
            continue;
        }
        explicit_keys.insert(std::string(definition.key));
    }

    if (result.config.verbose && !explicit_keys.contains("log.level")) {
        result.config.log_level = "debug";
    }
    return result;
}

}  // namespace envmgr::host::config
