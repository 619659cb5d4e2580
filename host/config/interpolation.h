// Variable references in configuration strings, with the Compose specification's syntax:
// `$NAME`, `${NAME}`, `${NAME:-default}` (unset or empty), `${NAME-default}` (unset),
// `${NAME:?message}`, `${NAME?message}` (required), `${NAME:+value}`, `${NAME+value}` (set),
// defaults that hold references themselves, and `$$` for a literal `$`.
#pragma once

#include "host/config/environment.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace envmgr::host::config {

struct InterpolationError {
    std::string message;     // names the variable, e.g. "${REDIS_TAG} is not set and has no default"
    std::size_t offset = 0;  // where in the text the reference at fault begins
};

// What a bare reference to a variable that is not set becomes.
enum class MissingVariable {
    error,  // the TOML file: a silently empty image tag or password is worse than a refusal
    empty,  // Compose files: an empty string, and the name is reported so a warning can say it
};

struct InterpolationOptions {
    MissingVariable missing = MissingVariable::error;
    bool lone_dollar_is_error = false;  // Compose refuses "$5"; the TOML file keeps it as written
};

struct Interpolated {
    std::string text;
    std::vector<std::string> missing;  // variables read as empty because they are not set
};

std::variant<Interpolated, InterpolationError> expand(std::string_view text, const Environment& environment,
                                                      const InterpolationOptions& options);

// The TOML file's rules: an unset variable without a default is an error; a lone `$` stays.
std::variant<std::string, InterpolationError> interpolate(std::string_view text,
                                                          const Environment& environment);

}  // namespace envmgr::host::config
