#include "host/model/restart_policy.h"

#include <algorithm>

namespace envmgr::host::model {

RestartPolicy restart_policy_of(std::string_view word) {
    if (word == "always") return RestartPolicy::always;
    if (word == "unless-stopped") return RestartPolicy::unless_stopped;
    if (word == "on-failure") return RestartPolicy::on_failure;
    return RestartPolicy::no;
}

std::string_view restart_policy_name(RestartPolicy policy) {
    switch (policy) {
        case RestartPolicy::no: return "no";
        case RestartPolicy::on_failure: return "on-failure";
        case RestartPolicy::always: return "always";
        case RestartPolicy::unless_stopped: return "unless-stopped";
    }
    return "no";
}

bool should_restart(RestartPolicy policy, int exit_code, int restarts, int max_retries) {
    switch (policy) {
        case RestartPolicy::always:
        case RestartPolicy::unless_stopped: return true;
        case RestartPolicy::on_failure: return exit_code != 0 && (max_retries == 0 || restarts < max_retries);
        case RestartPolicy::no: return false;
    }
    return false;
}

std::chrono::milliseconds restart_delay(int restarts, std::chrono::milliseconds initial,
                                        std::chrono::milliseconds cap) {
    auto delay = initial;
    for (int i = 0; i < restarts && delay < cap; ++i) delay *= 2;
    return std::min(delay, cap);
}

}  // namespace envmgr::host::model
