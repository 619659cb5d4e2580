#include "host/config/environment.h"

#include <cstdlib>
#include <utility>

namespace envmgr::host::config {

Environment process_environment() {
    return [](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (value == nullptr || *value == '\0') return std::nullopt;
        return std::string(value);
    };
}

Environment map_environment(std::map<std::string, std::string> values) {
    return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
        const auto it = values.find(std::string(name));
        if (it == values.end() || it->second.empty()) return std::nullopt;
        return it->second;
    };
}

}  // namespace envmgr::host::config
