// The compact forms compose users write in TOML, turned into the documents of
// container-spec.md: "127.0.0.1:6380:6379/tcp" ports, "redis_data:/data:ro" mounts, "512m"
// memory sizes. Pure.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace envmgr::host::registry {

struct SyntaxError {
    std::string message;
};

// "[host_ip:]host_port:container_port[/protocol]" or "container_port[/protocol]" (not published).
// IPv6 host addresses go in brackets: "[::1]:6380:6379".
std::variant<nlohmann::json, SyntaxError> parse_port(std::string_view text);

// "source:target[:ro|:rw]": a source starting with '/' or '.' is a bind mount, else a volume.
std::variant<nlohmann::json, SyntaxError> parse_mount(std::string_view text);

// Bytes from an integer, or a string with a unit: "512m", "2g", "1.5GiB", "64MB", "1024"
// (binary multiples, as Docker reads them).
std::variant<std::int64_t, SyntaxError> parse_memory(const nlohmann::json& value);

}  // namespace envmgr::host::registry
