#include "host/health/check_limiter.h"

#include <gtest/gtest.h>

#include <vector>

namespace envmgr::host::health {
namespace {

TEST(CheckLimiter, AtMostTheLimitRunAndTheRestWaitTheirTurnInOrder) {
    CheckLimiter limiter(2);
    std::vector<int> started;
    for (int i = 0; i < 5; ++i) limiter.acquire([&started, i] { started.push_back(i); });
    EXPECT_EQ(started, (std::vector<int>{0, 1}));
    EXPECT_EQ(limiter.in_flight(), 2U);
    EXPECT_EQ(limiter.waiting(), 3U);
    limiter.release();
    EXPECT_EQ(started, (std::vector<int>{0, 1, 2}));
    EXPECT_EQ(limiter.in_flight(), 2U);
    limiter.release();
    limiter.release();
    limiter.release();
    limiter.release();
    EXPECT_EQ(started.size(), 5U);
    EXPECT_EQ(limiter.in_flight(), 0U);
}

}  // namespace
}  // namespace envmgr::host::health
