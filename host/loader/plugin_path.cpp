#include "host/loader/plugin_path.h"

#include <boost/dll/runtime_symbol_info.hpp>

namespace envmgr::host::loader {

std::filesystem::path default_plugin_dir() {
    // ENVMGR_PLUGIN_DIR_FROM_BINARY is the install layout's relative path, e.g.
    // "../lib/env-manager/plugins"; the build tree mirrors it.
    const std::filesystem::path binary_dir = boost::dll::program_location().parent_path();
    return (binary_dir / ENVMGR_PLUGIN_DIR_FROM_BINARY).lexically_normal();
}

std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::string>& configured) {
    std::vector<std::filesystem::path> dirs;
    for (const auto& entry : configured) {
        if (!entry.empty()) dirs.emplace_back(std::filesystem::absolute(entry).lexically_normal());
    }
    if (dirs.empty()) dirs.push_back(default_plugin_dir());
    return dirs;
}

}  // namespace envmgr::host::loader
