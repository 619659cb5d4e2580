#include "host/config/suggestion.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace envmgr::host::config {
namespace {

TEST(Suggestion, TheBoundedDistanceIsTheDistanceUnderItsLimitAndTheLimitBeyond) {
    EXPECT_EQ(edit_distance_under("grpc_adr", "grpc_addr", 3), 1U);
    EXPECT_EQ(edit_distance_under("kitten", "sitting", 4), 3U);
    EXPECT_EQ(edit_distance_under("kitten", "sitting", 3), 3U);
    EXPECT_EQ(edit_distance_under("abc", "xyz", 2), 2U);                // distance 3, cut at 2
    EXPECT_EQ(edit_distance_under(std::string(500, 'a'), "a", 3), 3U);  // the gap alone decides
}

TEST(Suggestion, TheClosestNameIsAtMostTwoEditsAway) {
    const std::vector<std::string> known{"redis", "redb", "ollama"};
    EXPECT_EQ(closest_name("rediss", known), "redis");
    EXPECT_EQ(closest_name("olama", known), "ollama");
    EXPECT_EQ(closest_name("postgres", known), "");
}

TEST(Suggestion, ManyLongUnknownWordsCostNextToNothing) {
    // A configuration with thousands of long unknown keys: each is compared with every known
    // name; the length gap rules the pairs out without the quadratic table.
    const std::vector<std::string> known(100, "scheduler.health_timeout_seconds");
    const std::string word(4'000, 'k');
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 1'000; ++i) EXPECT_EQ(closest_name(word, known), "");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(2));
}

}  // namespace
}  // namespace envmgr::host::config
