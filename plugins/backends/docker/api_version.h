// Engine API versions ("1.41"), for negotiating the one both sides speak.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace envmgr::plugins::backends::docker {

// "1.41" -> 1041; 0 for anything that is not MAJOR.MINOR.
int api_version_number(std::string_view text);

// The version to use against an engine that reports `server`: the older of it and
// `newest_supported`; nullopt when the engine's answer is not a version.
std::optional<std::string> choose_api_version(std::string_view server, std::string_view newest_supported);

}  // namespace envmgr::plugins::backends::docker
