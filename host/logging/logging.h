// spdlog set-up: a readable format on a terminal, one JSON object per line on request.
#pragma once

#include "host/config/config.h"

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace envmgr::host::logging {

// Makes the "env-manager" logger the default and returns it. Plugin loggers are clones.
std::shared_ptr<spdlog::logger> setup_logging(const std::string& level, config::LogFormat format);

}  // namespace envmgr::host::logging
