// Judging a command run in the container (pure): exit code 0 is ready; otherwise the exit code
// and the start of what the command said, bounded.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace envmgr::plugins::probes::exec {

struct ExecVerdict {
    bool healthy = false;
    std::string message;  // "exit 0", "exit 1: connection refused"
};

// From a container.exec result (docs/backend-operations.md).
ExecVerdict judge_exec(const nlohmann::json& result);

}  // namespace envmgr::plugins::probes::exec
