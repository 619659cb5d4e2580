// The running daemon: one io_context on a small thread pool, the plugins, and a graceful
// shutdown on SIGINT/SIGTERM (a second signal forces the exit).
#pragma once

#include "host/config/config.h"
#include "host/config/environment.h"

#include <spdlog/logger.h>

#include <memory>

namespace envmgr::host::runtime {

class Daemon {
public:
    Daemon(config::Config config, config::Environment environment, std::shared_ptr<spdlog::logger> logger);
    // Blocks until a signal stops the daemon. Returns the process exit code.
    int run();

private:
    config::Config config_;
    config::Environment environment_;
    std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace envmgr::host::runtime
