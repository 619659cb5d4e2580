// What each command line does: run the daemon, list the plugins, check the configuration,
// print the version or the usage. Returns the process exit code (runtime/exit_codes.h).
#pragma once

#include "host/cli/command_line.h"

namespace envmgr::host::runtime {

int run_command(const cli::CommandLine& command_line);

}  // namespace envmgr::host::runtime
