// Builds the effective configuration: defaults < TOML file (ENV_MANAGER_CONFIG) < environment.
#pragma once

#include "host/config/config.h"
#include "host/config/config_error.h"
#include "host/config/environment.h"

#include <string>
#include <vector>

namespace envmgr::host::config {

struct LoadResult {
    Config config;
    std::vector<ConfigError> errors;  // empty when the configuration is usable

    [[nodiscard]] bool ok() const noexcept { return errors.empty(); }
};

// file_path: the TOML file to read; "" means ENV_MANAGER_CONFIG, and no file when unset.
LoadResult load_config(const Environment& environment, const std::string& file_path = {});

}  // namespace envmgr::host::config
