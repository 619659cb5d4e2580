#include "host/health/recent_exits.h"

#include <gtest/gtest.h>

namespace envmgr::host::health {
namespace {

ContainerEvent event(const std::string& action, const std::string& id, std::int64_t time_nano,
                     std::optional<int> exit_code = {}) {
    ContainerEvent made;
    made.action = action;
    made.id = id;
    made.time_nano = time_nano;
    made.exit_code = exit_code;
    return made;
}

TEST(RecentExits, AnExitCountsForTheRunThatStartedBeforeItOnly) {
    RecentExits exits;
    exits.record(event("die", "a", 100, 1));
    ASSERT_TRUE(exits.since("a", 100));
    EXPECT_EQ(exits.since("a", 50)->exit_code, 1);
    EXPECT_FALSE(exits.since("a", 101)) << "an exit of an earlier run";
    EXPECT_FALSE(exits.since("a", 0)) << "an unknown start matches nothing";
    EXPECT_FALSE(exits.since("b", 1));
}

TEST(RecentExits, OnlyDiesAreKeptAndTheLatestWins) {
    RecentExits exits;
    exits.record(event("start", "a", 10));
    exits.record(event("oom", "a", 11));
    EXPECT_EQ(exits.size(), 0U);
    exits.record(event("die", "a", 12, 137));
    exits.record(event("destroy", "a", 13));
    ASSERT_TRUE(exits.since("a", 5));
    EXPECT_EQ(exits.since("a", 5)->exit_code, 137);
    exits.record(event("die", "a", 20, 2));  // a later run
    EXPECT_EQ(exits.since("a", 15)->exit_code, 2);
    EXPECT_EQ(exits.size(), 1U);
}

TEST(RecentExits, TheOldestGoFirstBeyondTheCapacity) {
    RecentExits exits(3);
    const char* const names[] = {"c0", "c1", "c2", "c3", "c4"};
    for (int i = 0; i < 5; ++i) exits.record(event("die", names[i], 100 + i, 0));
    EXPECT_EQ(exits.size(), 3U);
    EXPECT_FALSE(exits.since("c0", 1));
    EXPECT_FALSE(exits.since("c1", 1));
    EXPECT_TRUE(exits.since("c4", 1));
    exits.record(event("die", "c2", 200, 0));  // refreshed: now the newest
    exits.record(event("die", "c5", 201, 0));
    EXPECT_TRUE(exits.since("c2", 1));
    EXPECT_FALSE(exits.since("c3", 1));
}

}  // namespace
}  // namespace envmgr::host::health
