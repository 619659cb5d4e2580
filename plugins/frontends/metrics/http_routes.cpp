#include "plugins/frontends/metrics/http_routes.h"

#include <envmgr/sdk/documents/service_definition.h>
#include <envmgr/sdk/quote.h>

namespace envmgr::plugins::frontends::metrics_frontend {
namespace {

// The value of one query parameter ("" when absent).
std::string_view query_value(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        const auto eq = pair.find('=');
        if (pair.substr(0, eq) == name) {
            return eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

RouteDecision timeline_route(std::string_view query) {
    RouteDecision decision{Route::timeline_svg, ""};
    if (const auto tenant = query_value(query, "tenant"); !tenant.empty()) decision.tenant = tenant;
    if (decision.tenant.size() > sdk::kMaxTenantName) {
        return {Route::bad_request, "tenant: at most " + std::to_string(sdk::kMaxTenantName) + " characters"};
    }
    const auto run = query_value(query, "run");
    if (run.empty()) return decision;
    if (run.size() > 2 || run.find_first_not_of("0123456789") != std::string_view::npos) {
        return {Route::bad_request, "run: a run number (0: the newest), not " + sdk::quote_input(run)};
    }
    decision.run = static_cast<unsigned>(std::stoul(std::string(run)));
    return decision;
}

}  // namespace

RouteDecision route_of(std::string_view method, std::string_view target, std::string_view accept) {
    const auto question = target.find('?');
    const auto path = target.substr(0, question);
    const auto query = question == std::string_view::npos ? std::string_view() : target.substr(question + 1);
    const bool known = path == "/health" || path == "/health/live" || path == "/health/ready" ||
                       path == "/metrics" || path == "/debug/timeline.svg";
    if (!known) {
        const std::string shown = sdk::quote_input(path, 256);  // a caller's path, cut
        return {Route::not_found,
                "no such path: " + shown +
                    " (/health, /health/live, /health/ready, /metrics, /debug/timeline.svg)"};
    }
    if (method != "GET" && method != "HEAD") {
        return {Route::method_not_allowed, "only GET and HEAD are served"};
    }
    if (path == "/debug/timeline.svg") return timeline_route(query);
    if (path == "/health/live") return {Route::live, ""};
    if (path != "/metrics") return {Route::health, ""};
    const auto format = query_value(query, "format");
    if (format == "json") return {Route::metrics_json, ""};
    if (format == "prometheus" || format == "text") return {Route::metrics_text, ""};
    if (!format.empty()) {
        const std::string shown = sdk::quote_input(format);
        return {Route::bad_request, "format: json or prometheus, not " + shown};
    }
    // An explicit JSON preference; Prometheus itself asks for text (and */* stays text).
    if (accept.find("application/json") != std::string_view::npos) return {Route::metrics_json, ""};
    return {Route::metrics_text, ""};
}

}  // namespace envmgr::plugins::frontends::metrics_frontend
