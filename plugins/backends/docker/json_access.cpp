#include "plugins/backends/docker/json_access.h"

namespace envmgr::plugins::backends::docker {

const nlohmann::json& object_at(const nlohmann::json& obj, const char* key) {
    static const nlohmann::json empty = nlohmann::json::object();
    if (!obj.is_object()) return empty;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_object() ? *it : empty;
}

const nlohmann::json& list_at(const nlohmann::json& obj, const char* key) {
    static const nlohmann::json empty = nlohmann::json::array();
    if (!obj.is_object()) return empty;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_array() ? *it : empty;
}

std::int64_t int_or_zero(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) return 0;
    const auto it = obj.find(key);
    return it != obj.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

std::string text_or_empty(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) return "";
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace envmgr::plugins::backends::docker
