#include "plugins/probes/http/http_judge.h"

namespace envmgr::plugins::probes::http {

HttpVerdict judge_http(unsigned status, std::string_view body, bool body_complete,
                       const HttpExpectation& expect) {
    const std::string code = "HTTP " + std::to_string(status);
    const auto in_range =
        static_cast<int>(status) >= expect.status_min && static_cast<int>(status) <= expect.status_max;
    if (!in_range) return {false, code};
    if (expect.body_contains.empty()) return {true, code};
    if (body.find(expect.body_contains) != std::string_view::npos) return {true, code};
    if (!body_complete) {
        return {false, code + ", body over the size limit without \"" + expect.body_contains + "\""};
    }
    return {false, code + ", body lacks \"" + expect.body_contains + "\""};
}

std::string host_header(const std::string& host, unsigned port) {
    const std::string name = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    return port == 80 ? name : name + ":" + std::to_string(port);
}

}  // namespace envmgr::plugins::probes::http
