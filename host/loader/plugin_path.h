// Where plugins are searched: ENV_MANAGER_PLUGIN_PATH / plugins.path, or the folder
// installed next to the executable.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace envmgr::host::loader {

// The default folder, found relative to the running binary.
std::filesystem::path default_plugin_dir();

std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::string>& configured);

}  // namespace envmgr::host::loader
