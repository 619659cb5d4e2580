// What a request to the metrics frontend asks for, decided from its method, target and Accept
// header alone (pure: unit tested without a server).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace envmgr::plugins::frontends::metrics_frontend {

// A request's header may be this long; beyond it: 400 and the connection ends (these are
// probes and scrapes).
inline constexpr std::size_t kRequestLimit = 8192;

// Whether a request whose header a parser has read has a body. No route takes one: the server
// answers from the header, leaves the body unread and ends the connection after the answer.
template <class HeaderParser>
bool carries_body(const HeaderParser& parser) {
    return parser.chunked() || parser.content_length().value_or(0) > 0;
}

enum class Route {
    live,                // GET /health/live: the process answers
    health,              // GET /health and /health/ready: the daemon can serve
    metrics_text,        // GET /metrics: Prometheus text 0.0.4
    metrics_json,        // GET /metrics?format=json or Accept: application/json
    timeline_svg,        // GET /debug/timeline.svg[?tenant=NAME&run=N]: the start timeline picture
    not_found,           // 404
    method_not_allowed,  // 405 (Allow: GET, HEAD)
    bad_request,         // 400 (an unknown format)
};

struct RouteDecision {
    Route route = Route::not_found;
    std::string reason;  // for the error routes: the body's message
    // timeline_svg: whose run, and which (0: the newest).
    std::string tenant = "default";
    unsigned run = 0;
};

// method: "GET", "HEAD", ...; target: path and query as sent.
RouteDecision route_of(std::string_view method, std::string_view target, std::string_view accept);

}  // namespace envmgr::plugins::frontends::metrics_frontend
