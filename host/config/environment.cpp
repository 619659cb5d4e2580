#include "host/config/environment.h"

#include <cstdlib>
#include <utility>

namespace envmgr::host::config {

namespace {

Environment process_variables(bool empty_is_set) {
    return [empty_is_set](std::string_view name) -> std::optional<std::string> {
        const char* value = std::getenv(std::string(name).c_str());
        if (value == nullptr || (*value == '\0' && !empty_is_set)) return std::nullopt;
        return std::string(value);
    };
}

}  // namespace

Environment process_environment() {
    return process_variables(false);
}

Environment process_environment_keeping_empty() {
    return process_variables(true);
}

Environment map_environment(std::map<std::string, std::string> values) {
    return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
        const auto it = values.find(std::string(name));
        if (it == values.end() || it->second.empty()) return std::nullopt;
        return it->second;
    };
}

}  // namespace envmgr::host::config
