// Compose-style `${VAR}` and `${VAR:-default}` in configuration strings, read from the
// daemon's environment; `$$` is a literal `$`.
#pragma once

#include "host/config/environment.h"

#include <string>
#include <string_view>
#include <variant>

namespace envmgr::host::config {

struct InterpolationError {
    std::string message;  // names the variable, e.g. "${REDIS_TAG} is not set and has no default"
};

// The text with every reference replaced, or why it cannot be. An unset or empty variable
// takes the default after `:-`; without one it is an error (as compose's `${VAR:?}`), because a
// silently empty image tag or password is worse than a refusal.
std::variant<std::string, InterpolationError> interpolate(std::string_view text,
                                                          const Environment& environment);

}  // namespace envmgr::host::config
