// envctl's commands. Each family adds its subcommands to the app; the one the command line
// picks sets `run`, which main calls with a connected session and whose result is the exit code.
#pragma once

#include "tools/envctl/session.h"

#include <CLI/CLI.hpp>

#include <functional>

namespace envctl {

using Runner = std::function<int(Session&)>;

// up, down, restart (lifecycle_commands.cpp)
void add_lifecycle_commands(CLI::App& app, Runner& run);
// ps, health, resources (status_commands.cpp)
void add_status_commands(CLI::App& app, Runner& run);
// logs (logs_command.cpp)
void add_logs_command(CLI::App& app, Runner& run);
// exec, run (task_commands.cpp)
void add_task_commands(CLI::App& app, Runner& run);
// pull (pull_command.cpp)
void add_pull_command(CLI::App& app, Runner& run);
// plugins, config (info_commands.cpp)
void add_info_commands(CLI::App& app, Runner& run);
// analyze blame | critical-chain | plot (analyze_commands.cpp)
void add_analyze_commands(CLI::App& app, Runner& run);

}  // namespace envctl
