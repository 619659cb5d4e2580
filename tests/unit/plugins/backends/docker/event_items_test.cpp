#include "plugins/backends/docker/event_items.h"

#include <gtest/gtest.h>

namespace envmgr::plugins::backends::docker {
namespace {

TEST(EventItems, AnEngineEventBecomesAnItemWithItsExitCode) {
    const auto item = event_item(nlohmann::json::parse(R"({
      "Type": "container", "Action": "die", "timeNano": 1795726016000000001,
      "Actor": {"ID": "abc", "Attributes": {"name": "redis", "exitCode": "137", "env-manager.service": "redis"}}
    })"));
    EXPECT_EQ(item["type"], "container");
    EXPECT_EQ(item["action"], "die");
    EXPECT_EQ(item["id"], "abc");
    EXPECT_EQ(item["name"], "redis");
    EXPECT_EQ(item["exit_code"], 137);
    EXPECT_EQ(item["labels"]["env-manager.service"], "redis");
    EXPECT_EQ(item["time_nano"], 1795726016000000001);
}

TEST(EventItems, MissingMembersGiveEmptyValuesNotErrors) {
    const auto item = event_item(nlohmann::json::parse(R"({"Type": "container", "Actor": null})"));
    EXPECT_EQ(item["id"], "");
    EXPECT_EQ(item["labels"], nlohmann::json::object());
    EXPECT_FALSE(item.contains("exit_code"));
}

TEST(EventItems, AStreamResumesJustAfterTheLastEventSeen) {
    EXPECT_EQ(resume_point_after(1795726016000000001), "1795726016.000000002");
    EXPECT_EQ(resume_point_after(1795726016999999999), "1795726017.000000000");
    EXPECT_EQ(resume_point_after(0), "");
}

}  // namespace
}  // namespace envmgr::plugins::backends::docker
