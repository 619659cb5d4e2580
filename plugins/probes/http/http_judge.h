// Judging an HTTP answer (pure): the status within the accepted range and, when asked, the body
// holding a text.
#pragma once

#include <string>
#include <string_view>

namespace envmgr::plugins::probes::http {

struct HttpExpectation {
    int status_min = 200;
    int status_max = 299;
    std::string body_contains;  // "" : no body check
};

struct HttpVerdict {
    bool healthy = false;
    std::string message;  // "HTTP 200", "HTTP 503", "HTTP 200, body lacks \"ok\""
};

// body_complete: false when the body was cut at the size limit (then a body check fails).
HttpVerdict judge_http(unsigned status, std::string_view body, bool body_complete,
                       const HttpExpectation& expect);

// The Host header for a request to host:port: the port is left out when it is HTTP's own (80),
// and an IPv6 address is bracketed.
std::string host_header(const std::string& host, unsigned port);

}  // namespace envmgr::plugins::probes::http
