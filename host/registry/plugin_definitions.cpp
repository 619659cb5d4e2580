#include "host/registry/plugin_definitions.h"

#include <nlohmann/json.hpp>

#include <map>

namespace envmgr::host::registry {
namespace {

// One plugin's definitions, or the reason to refuse it ("" when accepted).
std::string read_one(const DefinitionsDocument& document, const std::map<std::string, std::string>& owner_of,
                     std::vector<sdk::ServiceDefinition>& out) {
    const auto parsed = nlohmann::json::parse(document.json, nullptr, false);
    if (!parsed.is_array()) return "definitions() is not a JSON array";
    for (const auto& entry : parsed) {
        sdk::ServiceDefinition definition;
        try {
            definition = entry.get<sdk::ServiceDefinition>();
        } catch (const nlohmann::json::exception& e) {
            return std::string("a service definition has a field of the wrong type: ") + e.what();
        }
        if (const auto errors = sdk::validate(definition); !errors.empty()) {
            return "invalid service definition: " + errors.front();
        }
        if (const auto owner = owner_of.find(definition.name); owner != owner_of.end()) {
            return "service '" + definition.name + "' is already defined by plugin '" + owner->second + "'";
        }
        out.push_back(std::move(definition));
    }
    return {};
}

}  // namespace

PluginDefinitions read_plugin_definitions(const std::vector<DefinitionsDocument>& documents) {
    PluginDefinitions read;
    std::map<std::string, std::string> owner_of;  // service name -> the plugin that defines it
    for (const auto& document : documents) {
        std::vector<sdk::ServiceDefinition> mine;
        if (auto problem = read_one(document, owner_of, mine); !problem.empty()) {
            read.refusals.emplace_back(document.plugin_id, std::move(problem));
            continue;
        }
        for (auto& definition : mine) {
            owner_of.emplace(definition.name, document.plugin_id);
            read.definitions.emplace_back(document.plugin_id, std::move(definition));
        }
    }
    return read;
}

}  // namespace envmgr::host::registry
