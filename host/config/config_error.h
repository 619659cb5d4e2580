// One configuration problem, located as precisely as its source allows.
#pragma once

#include <cstdint>
#include <string>

namespace envmgr::host::config {

struct ConfigError {
    std::string source;      // file path, or the environment variable's name
    std::uint32_t line = 0;  // 0: not from a file
    std::uint32_t column = 0;
    std::string key;  // dotted TOML key, when one is involved
    std::string message;

    // "file:line:column: key: message", or "VAR: message" for the environment.
    [[nodiscard]] std::string to_string() const;
};

}  // namespace envmgr::host::config
