#include "plugins/backends/docker/request_fields.h"

#include <envmgr/sdk/status.h>

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

using nlohmann::json;

envmgr_status status_of(const std::function<void()>& read) {
    try {
        read();
    } catch (const sdk::Error& e) {
        return e.code();
    }
    return ENVMGR_STATUS_OK;
}

std::string message_of(const std::function<void()>& read) {
    try {
        read();
    } catch (const sdk::Error& e) {
        return e.what();
    }
    return {};
}

TEST(RequestFields, RequiredStringMustBeANonEmptyString) {
    EXPECT_EQ(required_string(json{{"id", "abc"}}, "id"), "abc");
    for (const auto& request : {json::object(), json{{"id", ""}}, json{{"id", 3}}}) {
        EXPECT_EQ(status_of([&] { required_string(request, "id"); }), ENVMGR_STATUS_INVALID) << request;
    }
    EXPECT_EQ(message_of([] { required_string(json::object(), "id"); }), "id: required (a non-empty string)");
}

TEST(RequestFields, StringMapNamesTheBadKey) {
    EXPECT_TRUE(string_map(json::object(), "labels").empty());
    EXPECT_EQ(string_map(json{{"labels", {{"a", "1"}}}}, "labels").at("a"), "1");
    EXPECT_EQ(message_of([] { string_map(json{{"labels", 1}}, "labels"); }), "labels: must be an object");
    EXPECT_EQ(message_of([] {
                  string_map(json{{"labels", {{"a", 1}}}}, "labels");
              }),
              "labels.a: must be a string");
}

TEST(RequestFields, OptionalStringFallsBackOnlyWhenAbsent) {
    EXPECT_EQ(optional_string(json::object(), "driver", "bridge"), "bridge");
    EXPECT_EQ(optional_string(json{{"driver", "overlay"}}, "driver", "bridge"), "overlay");
    EXPECT_EQ(message_of([] {
                  optional_string(json{{"driver", false}}, "driver", "bridge");
              }),
              "driver: must be a string");
}

TEST(RequestFields, BoundedTimeoutMapsNoneToTheFallbackAndCapsAtADay) {
    using std::chrono::milliseconds;
    EXPECT_EQ(bounded_timeout(0, milliseconds(7)), milliseconds(7));
    EXPECT_EQ(bounded_timeout(-5, milliseconds(7)), milliseconds(7));
    EXPECT_EQ(bounded_timeout(1500, milliseconds(7)), milliseconds(1500));
    EXPECT_EQ(bounded_timeout(INT64_MAX, milliseconds(7)), milliseconds(24LL * 3600 * 1000));
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
