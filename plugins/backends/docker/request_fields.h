// Reading the fields of an operation's request document (docs/backend-operations.md). A field
// that is missing or of the wrong type throws sdk::Error(INVALID) naming it.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

namespace envmgr::plugins::backends::docker {

// A non-empty string.
std::string required_string(const nlohmann::json& request, const char* field);
// An object of strings; absent: empty.
std::map<std::string, std::string> string_map(const nlohmann::json& request, const char* field);
// A string; absent: fallback.
std::string optional_string(const nlohmann::json& request, const char* field, const std::string& fallback);

// A caller's timeout in milliseconds, within what the clocks can hold: 0 or less is "none"
// (returns fallback), and anything past a day is a day.
std::chrono::milliseconds bounded_timeout(std::int64_t requested_ms, std::chrono::milliseconds fallback);

}  // namespace envmgr::plugins::backends::docker
