// The engine's error answers as our statuses and messages.
#pragma once

#include <envmgr/abi.h>

#include <string>

namespace envmgr::plugins::backends::docker {

// The status for an engine error response, and its message (the engine's own words).
envmgr_status status_for_http(unsigned http_status);
std::string engine_message(const std::string& body, unsigned http_status);

}  // namespace envmgr::plugins::backends::docker
