#include "plugins/backends/docker/request_fields.h"

#include <envmgr/sdk/status.h>

#include <algorithm>

namespace envmgr::plugins::backends::docker {

std::string required_string(const nlohmann::json& request, const char* field) {
    const auto it = request.find(field);
    if (it == request.end() || !it->is_string() || it->get<std::string>().empty()) {
        throw sdk::Error(ENVMGR_STATUS_INVALID, std::string(field) + ": required (a non-empty string)");
    }
    return it->get<std::string>();
}

std::map<std::string, std::string> string_map(const nlohmann::json& request, const char* field) {
    std::map<std::string, std::string> out;
    const auto it = request.find(field);
    if (it == request.end()) return out;
    if (!it->is_object()) throw sdk::Error(ENVMGR_STATUS_INVALID, std::string(field) + ": must be an object");
    for (const auto& [key, value] : it->items()) {
        if (!value.is_string()) {
            throw sdk::Error(ENVMGR_STATUS_INVALID, std::string(field) + "." + key + ": must be a string");
        }
        out[key] = value.get<std::string>();
    }
    return out;
}

std::string optional_string(const nlohmann::json& request, const char* field, const std::string& fallback) {
    const auto it = request.find(field);
    if (it == request.end()) return fallback;
    if (!it->is_string()) throw sdk::Error(ENVMGR_STATUS_INVALID, std::string(field) + ": must be a string");
    return it->get<std::string>();
}

std::chrono::milliseconds bounded_timeout(std::int64_t requested_ms, std::chrono::milliseconds fallback) {
    constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;
    if (requested_ms <= 0) return fallback;
    return std::chrono::milliseconds(std::min(requested_ms, kDayMs));
}

}  // namespace envmgr::plugins::backends::docker
