#include "plugins/frontends/metrics/http_routes.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::frontends::metrics_frontend {
namespace {

Route route(std::string_view method, std::string_view target, std::string_view accept = "") {
    return route_of(method, target, accept).route;
}

TEST(HttpRoutes, HealthLiveAndReadyAreTheirOwnPaths) {
    EXPECT_EQ(route("GET", "/health/live"), Route::live);
    EXPECT_EQ(route("GET", "/health"), Route::health);
    EXPECT_EQ(route("HEAD", "/health/ready"), Route::health);
}

TEST(HttpRoutes, MetricsAreTextUnlessJsonIsAskedFor) {
    EXPECT_EQ(route("GET", "/metrics"), Route::metrics_text);
    EXPECT_EQ(route("GET", "/metrics", "text/plain;version=0.0.4;q=0.3,*/*;q=0.1"), Route::metrics_text);
    EXPECT_EQ(route("GET", "/metrics", "application/json"), Route::metrics_json);
    EXPECT_EQ(route("GET", "/metrics?format=json"), Route::metrics_json);
    EXPECT_EQ(route("GET", "/metrics?x=1&format=prometheus", "application/json"), Route::metrics_text);
    const auto unknown = route_of("GET", "/metrics?format=xml", "");
    EXPECT_EQ(unknown.route, Route::bad_request);
    EXPECT_EQ(unknown.reason, "format: json or prometheus, not 'xml'");
}

TEST(HttpRoutes, TheTimelinePictureNamesItsTenantAndRun) {
    const auto plain = route_of("GET", "/debug/timeline.svg", "");
    EXPECT_EQ(plain.route, Route::timeline_svg);
    EXPECT_EQ(plain.tenant, "default");
    EXPECT_EQ(plain.run, 0U);
    const auto asked = route_of("GET", "/debug/timeline.svg?tenant=team-a&run=2", "");
    EXPECT_EQ(asked.tenant, "team-a");
    EXPECT_EQ(asked.run, 2U);
    const auto bad = route_of("GET", "/debug/timeline.svg?run=-1", "");
    EXPECT_EQ(bad.route, Route::bad_request);
    EXPECT_EQ(bad.reason, "run: a run number (0: the newest), not '-1'");
    EXPECT_EQ(route("GET", "/debug/timeline.svg?tenant=" + std::string(33, 'a')), Route::bad_request);
    EXPECT_EQ(route("POST", "/debug/timeline.svg"), Route::method_not_allowed);
}

TEST(HttpRoutes, OtherPathsAndMethodsAreRefused) {
    EXPECT_EQ(route("GET", "/"), Route::not_found);
    EXPECT_EQ(route("GET", "/metricsx"), Route::not_found);
    EXPECT_EQ(route("POST", "/metrics"), Route::method_not_allowed);
    EXPECT_EQ(route("DELETE", "/health"), Route::method_not_allowed);
    EXPECT_EQ(route("POST", "/nope"), Route::not_found);
}

}  // namespace
}  // namespace envmgr::plugins::frontends::metrics_frontend
