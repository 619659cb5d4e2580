// Service plugins write their definitions as the JSON document of service-definition.md, so
// each reads as the service's own description; this turns that text into SDK definitions.
#pragma once

#include <envmgr/sdk/sdk.h>

#include <string_view>
#include <vector>

namespace envmgr::plugins::services::common {

// Throws sdk::Error(INTERNAL) naming the problem when the text is not a valid array of
// definitions: a built-in definition that does not parse is a bug, and the plugin is refused.
std::vector<sdk::ServiceDefinition> definitions_from(std::string_view json_array);
std::vector<sdk::ServiceDefinition> definitions_from_document(const nlohmann::json& array);

}  // namespace envmgr::plugins::services::common
