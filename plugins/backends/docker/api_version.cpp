#include "plugins/backends/docker/api_version.h"

#include <charconv>

namespace envmgr::plugins::backends::docker {

int api_version_number(std::string_view text) {
    const auto dot = text.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == text.size()) return 0;
    int major = 0;
    int minor = 0;
    const auto [major_end, major_error] = std::from_chars(text.data(), text.data() + dot, major);
    const auto [minor_end, minor_error] =
        std::from_chars(text.data() + dot + 1, text.data() + text.size(), minor);
    if (major_error != std::errc() || minor_error != std::errc() || major_end != text.data() + dot ||
        minor_end != text.data() + text.size()) {
        return 0;
    }
    return major * 1000 + minor;
}

std::optional<std::string> choose_api_version(std::string_view server, std::string_view newest_supported) {
    const int server_number = api_version_number(server);
    if (server_number == 0) return std::nullopt;
    return std::string(server_number < api_version_number(newest_supported) ? server : newest_supported);
}

}  // namespace envmgr::plugins::backends::docker
