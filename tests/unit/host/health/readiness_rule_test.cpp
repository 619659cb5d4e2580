#include "host/health/readiness_rule.h"

#include <gtest/gtest.h>

namespace envmgr::host::health {
namespace {

using State = ProbeSchedule::State;

TEST(ReadinessRule, ReadyOnlyWhenEveryProbePasses) {
    EXPECT_FALSE(decide_health({State::passing, State::waiting}, HealthState::waiting));
    const auto verdict = decide_health({State::passing, State::passing}, HealthState::waiting);
    ASSERT_TRUE(verdict);
    EXPECT_EQ(verdict->to, HealthState::ready);
    EXPECT_EQ(verdict->kind, "ready");
}

TEST(ReadinessRule, OneFailingProbeMakesAReadyInstanceUnhealthy) {
    const auto verdict = decide_health({State::passing, State::failing}, HealthState::ready);
    ASSERT_TRUE(verdict);
    EXPECT_EQ(verdict->to, HealthState::unhealthy);
    EXPECT_EQ(verdict->kind, "unhealthy");
    EXPECT_FALSE(decide_health({State::passing, State::failing}, HealthState::unhealthy));
}

TEST(ReadinessRule, AllPassingAgainIsARecovery) {
    const auto verdict = decide_health({State::passing, State::passing}, HealthState::unhealthy);
    ASSERT_TRUE(verdict);
    EXPECT_EQ(verdict->to, HealthState::ready);
    EXPECT_EQ(verdict->kind, "recovered");
}

TEST(ReadinessRule, AnExitedInstanceStaysExitedAndAReadyOneNeedsNoNewVerdict) {
    EXPECT_FALSE(decide_health({State::passing}, HealthState::exited));
    EXPECT_FALSE(decide_health({State::failing}, HealthState::exited));
    EXPECT_FALSE(decide_health({State::passing}, HealthState::ready));
}

}  // namespace
}  // namespace envmgr::host::health
