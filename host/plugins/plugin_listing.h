// --list-plugins output: a table for people, JSON for programs.
#pragma once

#include "plugins/plugin_manager.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace envmgr::plugins {

nlohmann::json listing_json(const std::vector<PluginRecord>& records);
std::string listing_table(const std::vector<PluginRecord>& records);

}  // namespace envmgr::plugins
