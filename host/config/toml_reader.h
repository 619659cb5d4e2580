// Reads a TOML file into a Config against the key table, collecting located errors.
#pragma once

#include "host/config/config.h"
#include "host/config/config_error.h"
#include "host/config/environment.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace envmgr::host::config {

// Returns the dotted keys the file set, so the caller knows what was explicit. Every string
// value may use ${VAR} and ${VAR:-default} (interpolation.h), read from environment.
std::set<std::string> read_toml_file(const std::string& path, const Environment& environment, Config& config,
                                     std::vector<ConfigError>& errors);
// The same for TOML text already read; source names it in errors (the file's path).
std::set<std::string> read_toml_text(std::string_view text, const std::string& source,
                                     const Environment& environment, Config& config,
                                     std::vector<ConfigError>& errors);

}  // namespace envmgr::host::config
