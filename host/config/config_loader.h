// Builds the effective configuration: defaults < TOML file (ENV_MANAGER_CONFIG) < environment.
#pragma once

#include "config/config.h"
#include "config/config_error.h"
#include "config/environment.h"

#include <string>
#include <vector>

namespace envmgr::config {

struct LoadResult {
    Config config;
    std::vector<ConfigError> errors;  // empty when the configuration is usable

    [[nodiscard]] bool ok() const noexcept { return errors.empty(); }
};

// file_path: the TOML file to read; "" means ENV_MANAGER_CONFIG, and no file when unset.
LoadResult load_config(const Environment& environment, const std::string& file_path = {});

}  // namespace envmgr::config
