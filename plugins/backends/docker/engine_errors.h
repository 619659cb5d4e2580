// The engine's error answers as our statuses and messages.
#pragma once

#include <envmgr/abi.h>

#include <string>

namespace envmgr::plugins::backends::docker {

// The status for an engine error response, and its message (the engine's own words).
envmgr_status status_for_http(unsigned http_status);
std::string engine_message(const std::string& body, unsigned http_status);

struct EngineError {
    envmgr_status status = ENVMGR_STATUS_INTERNAL;
    std::string message;
};
// Both at once, and one more distinction: a 500 that says the engine lost its container
// runtime (containerd's "transport is closing", a refused dial: the engine is restarting or
// going down) is UNAVAILABLE, to be retried, not an internal error.
EngineError engine_error(const std::string& body, unsigned http_status);

}  // namespace envmgr::plugins::backends::docker
