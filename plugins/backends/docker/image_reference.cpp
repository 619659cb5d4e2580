#include "plugins/backends/docker/image_reference.h"

namespace envmgr::plugins::backends::docker {

std::pair<std::string, std::string> split_image_reference(const std::string& reference) {
    if (const auto at = reference.find('@'); at != std::string::npos) {
        return {reference.substr(0, at), reference.substr(at + 1)};
    }
    const auto slash = reference.rfind('/');
    const auto colon = reference.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
        return {reference.substr(0, colon), reference.substr(colon + 1)};
    }
    return {reference, "latest"};
}

std::string registry_of(const std::string& reference) {
    const auto slash = reference.find('/');
    if (slash == std::string::npos) return "docker.io";
    std::string first = reference.substr(0, slash);
    if (first.find_first_of(".:") != std::string::npos || first == "localhost") return first;
    return "docker.io";
}

}  // namespace envmgr::plugins::backends::docker
