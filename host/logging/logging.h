// spdlog set-up: a readable format on a terminal, one JSON object per line on request.
#pragma once

#include "config/config.h"

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace envmgr::logging {

// Makes the "env-manager" logger the default and returns it. Plugin loggers are clones.
std::shared_ptr<spdlog::logger> setup_logging(const std::string& level, config::LogFormat format);

}  // namespace envmgr::logging
