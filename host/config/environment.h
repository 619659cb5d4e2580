// Reading environment variables through a function, so tests can pass their own.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace envmgr::host::config {

using Environment = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment; unset and empty variables both read as nullopt.
Environment process_environment();

// The process environment with a variable set to "" read as set (Compose files tell
// `${VAR-default}` from `${VAR:-default}` by it).
Environment process_environment_keeping_empty();

// A fixed map, for tests.
Environment map_environment(std::map<std::string, std::string> values);

}  // namespace envmgr::host::config
