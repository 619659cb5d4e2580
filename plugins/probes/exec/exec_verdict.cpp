#include "plugins/probes/exec/exec_verdict.h"

#include <envmgr/kit/probe/reply_text.h>

namespace envmgr::plugins::probes::exec {

ExecVerdict judge_exec(const nlohmann::json& result) {
    const int code = result.value("exit_code", -1);
    if (code == 0) return {true, "exit 0"};
    // stderr says why more often than stdout; a missing program is reported on stdout.
    std::string said = result.value("stderr", "");
    if (said.find_first_not_of(" \r\n\t") == std::string::npos) said = result.value("stdout", "");
    const auto start = said.find_first_not_of(" \r\n\t");
    const std::string excerpt =
        start == std::string::npos ? "" : kit::probe::reply_excerpt(said.substr(start), 200);
    return {false, "exit " + std::to_string(code) + (excerpt.empty() ? "" : ": " + excerpt)};
}

}  // namespace envmgr::plugins::probes::exec
