#include "plugins/backends/docker/engine_errors.h"

#include <nlohmann/json.hpp>

namespace envmgr::plugins::backends::docker {

envmgr_status status_for_http(unsigned http_status) {
    switch (http_status) {
        case 400:
        case 401:
        case 403: return ENVMGR_STATUS_INVALID;
        case 404: return ENVMGR_STATUS_NOT_FOUND;
        case 409: return ENVMGR_STATUS_CONFLICT;
        case 501: return ENVMGR_STATUS_UNSUPPORTED;
        case 502:
        case 503:
        case 504: return ENVMGR_STATUS_UNAVAILABLE;
        default: return http_status >= 200 && http_status < 300 ? ENVMGR_STATUS_OK : ENVMGR_STATUS_INTERNAL;
    }
}

std::string engine_message(const std::string& body, unsigned http_status) {
    const auto json = nlohmann::json::parse(body, nullptr, false);
    if (json.is_object() && json.contains("message") && json["message"].is_string()) {
        return json["message"].get<std::string>();
    }
    std::string text = body.substr(0, 512);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return "HTTP " + std::to_string(http_status) + (text.empty() ? "" : ": " + text);
}

EngineError engine_error(const std::string& body, unsigned http_status) {
    EngineError error{status_for_http(http_status), engine_message(body, http_status)};
    if (error.status != ENVMGR_STATUS_INTERNAL) return error;
    for (const char* sign : {"transport is closing", "connection refused", "error while dialing",
                             "containerd.sock", "Unavailable desc", ": unavailable"}) {
        if (error.message.find(sign) != std::string::npos) {
            error.status = ENVMGR_STATUS_UNAVAILABLE;
            error.message =
                "the Docker engine cannot reach its container runtime (is it restarting?): " + error.message;
            break;
        }
    }
    return error;
}

}  // namespace envmgr::plugins::backends::docker
