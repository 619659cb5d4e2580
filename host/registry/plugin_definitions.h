// Service plugins' definitions documents, read in plugin order: each document parsed and every
// definition in it validated. A plugin whose document is not a JSON array, has a field of the
// wrong type or an invalid definition, or defines a service an earlier plugin already defines
// is refused as a whole, with the first problem as its reason.
#pragma once

#include <envmgr/sdk/documents/service_definition.h>

#include <string>
#include <utility>
#include <vector>

namespace envmgr::host::registry {

struct DefinitionsDocument {
    std::string plugin_id;
    std::string json;  // the plugin's definitions(): a JSON array of service definitions
};

struct PluginDefinitions {
    // Each accepted definition with the id of the plugin that gave it, in plugin order.
    std::vector<std::pair<std::string, sdk::ServiceDefinition>> definitions;
    // Each refused plugin's id with its reason.
    std::vector<std::pair<std::string, std::string>> refusals;
};

PluginDefinitions read_plugin_definitions(const std::vector<DefinitionsDocument>& documents);

}  // namespace envmgr::host::registry
