// --list-plugins output: a table for people, JSON for programs.
#pragma once

#include "host/loader/plugin_manager.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace envmgr::host::runtime {

nlohmann::json listing_json(const std::vector<loader::PluginRecord>& records);
std::string listing_table(const std::vector<loader::PluginRecord>& records);

}  // namespace envmgr::host::runtime
