#include "host/config/log_level.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace envmgr::host::config {
namespace {

std::string lower_trimmed(std::string_view text) {
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string_view::npos) return {};
    const auto last = text.find_last_not_of(" \t");
    std::string out(text.substr(first, last - first + 1));
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_our_target(std::string_view target) {
    static constexpr std::array<std::string_view, 3> names{"env_manager", "env_manager_rs", "env-manager"};
    // "env_manager::health" style module paths count as ours too.
    return std::any_of(names.begin(), names.end(), [&](std::string_view name) {
        return target == name || (target.starts_with(name) && target.substr(name.size()).starts_with("::"));
    });
}

}  // namespace

std::optional<std::string> normalize_level(std::string_view text) {
    const std::string level = lower_trimmed(text);
    if (level == "warning") return "warn";
    static constexpr std::array<std::string_view, 6> levels{"trace", "debug", "info", "warn", "error", "off"};
    if (std::find(levels.begin(), levels.end(), level) != levels.end()) return level;
    return std::nullopt;
}

std::optional<std::string> level_from_directives(std::string_view directives) {
    std::optional<std::string> global;
    std::optional<std::string> ours;
    bool any_valid = false;
    while (!directives.empty()) {
        const auto comma = directives.find(',');
        const std::string_view directive = directives.substr(0, comma);
        directives = comma == std::string_view::npos ? std::string_view() : directives.substr(comma + 1);
        const auto eq = directive.find('=');
        if (eq == std::string_view::npos) {
            if (auto level = normalize_level(directive)) {
                global = level;
                any_valid = true;
            } else if (is_our_target(lower_trimmed(directive))) {
                ours = "trace";  // a bare target enables everything for it
                any_valid = true;
            }
            continue;
        }
        const std::string target = lower_trimmed(directive.substr(0, eq));
        if (auto level = normalize_level(directive.substr(eq + 1))) {
            any_valid = true;
            if (is_our_target(target)) ours = level;
        }
    }
    if (ours) return ours;
    if (global) return global;
    if (any_valid) return std::string("info");
    return std::nullopt;
}

}  // namespace envmgr::host::config
