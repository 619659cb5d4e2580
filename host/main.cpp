// env-manager: parses the command line and runs what it asks for (host/runtime/commands.h).
#include "host/cli/command_line.h"
#include "host/runtime/commands.h"
#include "host/runtime/exit_codes.h"

#include <iostream>

int main(int argc, char** argv) {
    const auto parsed = envmgr::host::cli::parse_command_line({argv + 1, argv + argc});
    if (!parsed.error.empty()) {
        std::cerr << "env-manager: " << parsed.error << '\n';
        return envmgr::host::runtime::kExitConfigError;
    }
    return envmgr::host::runtime::run_command(parsed.command_line);
}
