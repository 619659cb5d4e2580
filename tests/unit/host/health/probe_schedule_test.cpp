#include "host/health/probe_schedule.h"

#include <gtest/gtest.h>

namespace envmgr::host::health {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart = TimePoint{} + 1000s;

ProbeTimings timings() {
    ProbeTimings t;
    t.readiness_interval = 25ms;
    t.readiness_fast_period = 2000ms;
    t.readiness_max_interval = 1000ms;
    t.interval = 5000ms;
    t.success_threshold = 1;
    t.failure_threshold = 3;
    return t;
}

TEST(ProbeSchedule, TheFirstCheckIsRightAfterTheStartOrAfterTheInitialDelay) {
    EXPECT_EQ(ProbeSchedule(timings(), kStart).first_check(), kStart);
    auto delayed = timings();
    delayed.initial_delay = 300ms;
    EXPECT_EQ(ProbeSchedule(delayed, kStart).first_check(), kStart + 300ms);
}

TEST(ProbeSchedule, WhileWaitingChecksAreFastThenBackOffGentlyUpToTheCap) {
    ProbeSchedule schedule(timings(), kStart);
    EXPECT_EQ(schedule.next_check(kStart + 10ms) - (kStart + 10ms), 25ms);
    EXPECT_EQ(schedule.next_check(kStart + 1990ms) - (kStart + 1990ms), 25ms);
    // After the fast period: x1.5 per check (37, 56, 84, ...) up to the cap.
    std::vector<Millis> intervals;
    TimePoint now = kStart + 2000ms;
    for (int i = 0; i < 12; ++i) {
        const auto next = schedule.next_check(now);
        intervals.push_back(std::chrono::duration_cast<Millis>(next - now));
        now = next;
    }
    EXPECT_EQ(intervals[0], 37ms);
    EXPECT_EQ(intervals[1], 55ms);
    for (std::size_t i = 1; i < intervals.size(); ++i) EXPECT_GE(intervals[i], intervals[i - 1]);
    EXPECT_EQ(intervals.back(), 1000ms);
}

TEST(ProbeSchedule, NotReadyYetIsNotAFailureAndOneSuccessMakesItPass) {
    ProbeSchedule schedule(timings(), kStart);
    for (int i = 0; i < 10; ++i) EXPECT_FALSE(schedule.record(false, kStart + Millis(i)));
    EXPECT_EQ(schedule.state(), ProbeSchedule::State::waiting);
    EXPECT_TRUE(schedule.record(true, kStart + 20ms));
    EXPECT_EQ(schedule.state(), ProbeSchedule::State::passing);
    // Once passing, the steady interval.
    EXPECT_EQ(schedule.next_check(kStart + 20ms) - (kStart + 20ms), 5000ms);
}

TEST(ProbeSchedule, ThresholdsCountConsecutiveResults) {
    auto t = timings();
    t.success_threshold = 2;
    ProbeSchedule schedule(t, kStart);
    EXPECT_FALSE(schedule.record(true, kStart));
    EXPECT_FALSE(schedule.record(false, kStart));  // the run of successes starts again
    EXPECT_FALSE(schedule.record(true, kStart));
    EXPECT_TRUE(schedule.record(true, kStart));
    EXPECT_FALSE(schedule.record(false, kStart + 1s));
    EXPECT_FALSE(schedule.record(false, kStart + 2s));
    EXPECT_FALSE(schedule.record(true, kStart + 3s));  // resets the failures
    EXPECT_FALSE(schedule.record(false, kStart + 4s));
    EXPECT_FALSE(schedule.record(false, kStart + 5s));
    EXPECT_TRUE(schedule.record(false, kStart + 6s));
    EXPECT_EQ(schedule.state(), ProbeSchedule::State::failing);
    EXPECT_FALSE(schedule.record(true, kStart + 7s));
    EXPECT_TRUE(schedule.record(true, kStart + 8s));
    EXPECT_EQ(schedule.state(), ProbeSchedule::State::passing);
}

TEST(ProbeSchedule, FailuresInsideTheStartPeriodDoNotCount) {
    auto t = timings();
    t.failure_threshold = 1;
    t.start_period = 10s;
    ProbeSchedule schedule(t, kStart);
    EXPECT_TRUE(schedule.record(true, kStart + 1s));
    EXPECT_FALSE(schedule.record(false, kStart + 5s));
    EXPECT_EQ(schedule.state(), ProbeSchedule::State::passing);
    EXPECT_TRUE(schedule.record(false, kStart + 11s));
    EXPECT_EQ(schedule.state(), ProbeSchedule::State::failing);
}

}  // namespace
}  // namespace envmgr::host::health
