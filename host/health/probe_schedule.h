// One probe's schedule and thresholds for one service instance, as kubelet's: initial delay,
// success and failure thresholds, a start period whose failures do not count. Pure: the time
// is passed in, so it is tested with any clock.
//
// Two phases. Waiting for readiness: checks every readiness_interval for the fast period after
// the container started (what lets a dependent start within tens of milliseconds of its
// dependency), then backing off x`readiness_backoff` per check up to readiness_max_interval.
// Once the probe has passed: every `interval`.
#pragma once

#include <chrono>

namespace envmgr::host::health {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Millis = std::chrono::milliseconds;

struct ProbeTimings {
    Millis initial_delay{0};
    Millis readiness_interval{25};
    Millis readiness_fast_period{2000};
    Millis readiness_max_interval{1000};
    double readiness_backoff = 1.5;
    Millis interval{5000};
    Millis timeout{1000};
    int success_threshold = 1;
    int failure_threshold = 3;
    Millis start_period{0};
};

class ProbeSchedule {
public:
    enum class State {
        waiting,  // not passed yet since the container started
        passing,
        failing,  // passed before, then failed failure_threshold times in a row
    };

    ProbeSchedule(ProbeTimings timings, TimePoint container_started);

    [[nodiscard]] TimePoint first_check() const noexcept { return started_ + timings_.initial_delay; }
    // Counts a result seen at `now`. True when the state changed.
    bool record(bool healthy, TimePoint now);
    // When the next check is due, after one that ended at `now`.
    [[nodiscard]] TimePoint next_check(TimePoint now);

    [[nodiscard]] State state() const noexcept { return state_; }
    [[nodiscard]] const ProbeTimings& timings() const noexcept { return timings_; }

private:
    ProbeTimings timings_;
    TimePoint started_;
    State state_ = State::waiting;
    int successes_ = 0;  // in a row
    int failures_ = 0;   // in a row, counted ones only
    Millis backoff_;     // the waiting phase's interval after the fast period
};

}  // namespace envmgr::host::health
