#include "host/model/restart_policy.h"

#include <gtest/gtest.h>

namespace envmgr::host::model {
namespace {

using std::chrono::milliseconds;

TEST(RestartPolicy, TheBackOffDoublesUpToItsCap) {
    const milliseconds initial{1000};
    const milliseconds cap{300000};
    EXPECT_EQ(restart_delay(0, initial, cap), milliseconds(1000));
    EXPECT_EQ(restart_delay(1, initial, cap), milliseconds(2000));
    EXPECT_EQ(restart_delay(5, initial, cap), milliseconds(32000));
    EXPECT_EQ(restart_delay(9, initial, cap), milliseconds(300000));  // 5 min cap
    EXPECT_EQ(restart_delay(60, initial, cap), milliseconds(300000));
}

TEST(RestartPolicy, EachPolicyDecidesOnTheExitCode) {
    EXPECT_FALSE(should_restart(RestartPolicy::no, 1, 0, 0));
    EXPECT_TRUE(should_restart(RestartPolicy::always, 0, 7, 0));
    EXPECT_TRUE(should_restart(RestartPolicy::unless_stopped, 0, 0, 0));
    EXPECT_FALSE(should_restart(RestartPolicy::on_failure, 0, 0, 0));
    EXPECT_TRUE(should_restart(RestartPolicy::on_failure, 1, 2, 3));
    EXPECT_FALSE(should_restart(RestartPolicy::on_failure, 1, 3, 3));
    EXPECT_TRUE(should_restart(RestartPolicy::on_failure, 1, 50, 0));  // 0: no limit
}

TEST(RestartPolicy, ADefinitionsWordIsItsPolicyAndBack) {
    for (const auto policy : {RestartPolicy::no, RestartPolicy::on_failure, RestartPolicy::always,
                              RestartPolicy::unless_stopped}) {
        EXPECT_EQ(restart_policy_of(restart_policy_name(policy)), policy);
    }
    EXPECT_EQ(restart_policy_of("sometimes"), RestartPolicy::no);
}

}  // namespace
}  // namespace envmgr::host::model
