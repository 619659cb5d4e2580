#include "host/health/probe_schedule.h"

#include <algorithm>

namespace envmgr::host::health {

ProbeSchedule::ProbeSchedule(ProbeTimings timings, TimePoint container_started)
    : timings_(timings), started_(container_started), backoff_(timings.readiness_interval) {}

bool ProbeSchedule::record(bool healthy, TimePoint now) {
    if (healthy) {
        failures_ = 0;
        ++successes_;
        if (state_ != State::passing && successes_ >= timings_.success_threshold) {
            state_ = State::passing;
            return true;
        }
        return false;
    }
    successes_ = 0;
    // Not ready yet is not a failure; inside the start period failures do not count.
    if (state_ == State::waiting || now < started_ + timings_.start_period) return false;
    ++failures_;
    if (state_ == State::passing && failures_ >= timings_.failure_threshold) {
        state_ = State::failing;
        return true;
    }
    return false;
}

TimePoint ProbeSchedule::next_check(TimePoint now) {
    if (state_ != State::waiting) return now + timings_.interval;
    if (now < started_ + timings_.readiness_fast_period) return now + timings_.readiness_interval;
    const auto grown =
        Millis(static_cast<Millis::rep>(static_cast<double>(backoff_.count()) * timings_.readiness_backoff));
    backoff_ = std::clamp(grown, timings_.readiness_interval,
                          std::max(timings_.readiness_interval, timings_.readiness_max_interval));
    return now + backoff_;
}

}  // namespace envmgr::host::health
