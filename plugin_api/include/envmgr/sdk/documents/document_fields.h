// What a message about a document's fields needs, shared by the host (service tables read from
// TOML) and the SDK (a probe kind's typed parameters): the name of a JSON value's type as a
// reader says it, and the field names of a document type, from the SDK's own JSON mapping.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace envmgr::sdk {

// "a string", "an integer", "a number", "a boolean", "an array"; an object is `object_name`
// ("an object" in a JSON document, "a table" where an operator wrote TOML); anything else is
// "nothing".
inline std::string json_kind(const nlohmann::json& value, std::string_view object_name = "an object") {
    switch (value.type()) {
        case nlohmann::json::value_t::string: return "a string";
        case nlohmann::json::value_t::number_integer:
        case nlohmann::json::value_t::number_unsigned: return "an integer";
        case nlohmann::json::value_t::number_float: return "a number";
        case nlohmann::json::value_t::boolean: return "a boolean";
        case nlohmann::json::value_t::array: return "an array";
        case nlohmann::json::value_t::object: return std::string(object_name);
        default: return "nothing";
    }
}

// The fields of document type T as its JSON mapping writes them (in the mapping's sorted order).
template <typename T>
std::vector<std::string> field_names() {
    std::vector<std::string> names;
    const nlohmann::json document = T{};  // held: items() only refers to it
    for (const auto& [name, value] : document.items()) names.push_back(name);
    return names;
}

}  // namespace envmgr::sdk
