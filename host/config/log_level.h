// Log level from ENV_MANAGER_LOG or RUST_LOG-style directives.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace envmgr::host::config {

// A plain level name: trace, debug, info, warn (warning), error, off. Case-insensitive.
std::optional<std::string> normalize_level(std::string_view text);

// RUST_LOG's simple forms: "debug", "env_manager=debug", "warn,env_manager=trace".
// A directive for env_manager (or env_manager_rs, env-manager) wins over the global level;
// directives for other targets are ignored. nullopt when no directive can be read.
std::optional<std::string> level_from_directives(std::string_view directives);

}  // namespace envmgr::host::config
