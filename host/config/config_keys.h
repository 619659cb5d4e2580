// Every host configuration key, declared once as data: the loader validates against this
// table and the README's reference is checked against it.
#pragma once

#include "host/config/config.h"
#include "host/config/config_value.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace envmgr::host::config {

struct KeyDefinition {
    std::string_view key;           // dotted TOML key, e.g. "server.grpc_addr"
    std::string_view env;           // environment variable that overrides it, or ""
    std::string_view fallback_env;  // read when env is unset, or ""
    ValueType type;
    std::string_view default_text;  // as documented
    std::string_view description;
    // Stores the value; returns an error message when the value is out of range.
    std::function<std::optional<std::string>(Config&, const Value&)> apply;
};

const std::vector<KeyDefinition>& config_keys();

// Top-level table names that may hold keys (every key's first segment).
bool is_known_table(std::string_view dotted_prefix);

}  // namespace envmgr::host::config
