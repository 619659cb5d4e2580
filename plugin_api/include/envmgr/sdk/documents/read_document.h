// Where a document arrives as JSON text, it is read into its type once, here; from there on it
// is read by field.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace envmgr::sdk {

// Reads a document of type T from JSON text: nullopt when the text is not JSON, not an object,
// or a field has the wrong type. Missing fields keep their defaults.
template <typename T>
std::optional<T> read_document(std::string_view json_text) {
    const auto parsed = nlohmann::json::parse(json_text, nullptr, false);
    if (!parsed.is_object()) return std::nullopt;
    try {
        return parsed.get<T>();
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

}  // namespace envmgr::sdk
