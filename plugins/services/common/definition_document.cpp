#include "plugins/services/common/definition_document.h"

#include <string>

namespace envmgr::plugins::services::common {

std::vector<sdk::ServiceDefinition> definitions_from(std::string_view json_array) {
    nlohmann::json array;
    try {
        array = nlohmann::json::parse(json_array);
    } catch (const nlohmann::json::exception& e) {
        throw sdk::Error(ENVMGR_STATUS_INTERNAL,
                         std::string("built-in definitions do not parse: ") + e.what());
    }
    return definitions_from_document(array);
}

std::vector<sdk::ServiceDefinition> definitions_from_document(const nlohmann::json& array) {
    std::vector<sdk::ServiceDefinition> definitions;
    try {
        definitions = array.get<std::vector<sdk::ServiceDefinition>>();
    } catch (const nlohmann::json::exception& e) {
        throw sdk::Error(ENVMGR_STATUS_INTERNAL,
                         std::string("built-in definitions do not read as definitions: ") + e.what());
    }
    for (const auto& definition : definitions) {
        if (const auto errors = sdk::validate(definition); !errors.empty()) {
            throw sdk::Error(ENVMGR_STATUS_INTERNAL, "built-in definition invalid: " + errors.front());
        }
    }
    return definitions;
}

}  // namespace envmgr::plugins::services::common
