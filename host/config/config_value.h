// A configuration value as read from TOML or parsed from an environment variable.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace envmgr::host::config {

enum class ValueType { string, integer, boolean, string_list };

using Value = std::variant<std::string, std::int64_t, bool, std::vector<std::string>>;

std::string_view type_name(ValueType type);

// Parses an environment variable's text; a string_list is colon separated. nullopt when
// the text is not of the type.
std::optional<Value> parse_env_value(ValueType type, std::string_view text);

}  // namespace envmgr::host::config
