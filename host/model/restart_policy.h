// The restart policy env-manager carries out itself (a container's own engine policy stays
// "no"): which policy a definition names, whether an exit is restarted, and the back-off before
// each restart, as kubelet's CrashLoopBackOff: the initial delay doubling to a cap.
#pragma once

#include <chrono>
#include <string_view>

namespace envmgr::host::model {

enum class RestartPolicy { no, on_failure, always, unless_stopped };

// A definition's word ("no", "on-failure", "always", "unless-stopped"; the SDK's validation
// admits no other) as the policy; an unknown word reads as no.
RestartPolicy restart_policy_of(std::string_view word);
std::string_view restart_policy_name(RestartPolicy policy);

// Whether a container that exited with exit_code is restarted, given the restarts already made
// and on-failure's limit (max_retries; 0: no limit).
bool should_restart(RestartPolicy policy, int exit_code, int restarts, int max_retries);

// The delay before restart number `restarts` (0-based): initial * 2^restarts, at most cap.
std::chrono::milliseconds restart_delay(int restarts, std::chrono::milliseconds initial,
                                        std::chrono::milliseconds cap);

}  // namespace envmgr::host::model
