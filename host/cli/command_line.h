// The daemon's command-line flags.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace envmgr::host::cli {

struct CommandLine {
    bool help = false;
    bool version = false;
    bool list_plugins = false;
    bool json = false;
    bool check_config = false;
    bool print_config = false;
    std::string config_file;                 // --config FILE; "" : ENV_MANAGER_CONFIG
    std::optional<std::string> log_format;   // --log-format text|json
    std::vector<std::string> compose_files;  // --compose FILE, repeatable: the default tenant's
};

struct ParseResult {
    CommandLine command_line;
    std::string error;  // "" when the arguments were understood
};

ParseResult parse_command_line(const std::vector<std::string>& args);

std::string usage_text();

}  // namespace envmgr::host::cli
