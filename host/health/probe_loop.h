// One probe of one watched instance, checked again and again on the instance's strand: a timer
// for the next check, a slot from the daemon-wide limit, the check itself through the probe
// runner, and the supervisor's own deadline for a probe that does not answer at all. Each
// answer goes to the instance (with whether the probe's state changed); a late answer of a check
// already decided is dropped.
//
// Threading: start() and stop() on the strand; everything else runs there. After stop() no
// check starts and no answer is reported.
#pragma once

#include "host/health/probe_schedule.h"
#include "host/health/supervisor_shared.h"

#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace envmgr::host::health {

class ProbeLoop : public std::enable_shared_from_this<ProbeLoop> {
public:
    // On the strand, after each answer: the result and whether the probe's state changed by it.
    using OnAnswer = std::function<void(const ProbeLoop&, const sdk::ProbeResult&, bool changed)>;

    // spec: as each check gets it (check_spec); its name is the probe's.
    ProbeLoop(const Strand& strand, std::weak_ptr<SupervisorShared> shared, sdk::ProbeSpec spec,
              ProbeSchedule schedule, OnAnswer on_answer);

    void start();
    void stop();

    [[nodiscard]] const std::string& name() const noexcept { return spec_.name; }
    [[nodiscard]] ProbeSchedule::State state() const noexcept { return schedule_.state(); }

private:
    void schedule_at(TimePoint when);
    void request_check();
    void run_check();
    void watch_deadline(std::uint64_t generation);
    void on_outcome(std::uint64_t generation, CheckOutcome outcome);

    Strand strand_;
    std::weak_ptr<SupervisorShared> shared_;
    sdk::ProbeSpec spec_;
    ProbeSchedule schedule_;
    OnAnswer on_answer_;
    boost::asio::steady_timer timer_;  // the next check, or the running check's last chance
    std::uint64_t check_id_ = 0;
    std::uint64_t generation_ = 0;  // of the running check: a late answer of an abandoned one is ignored
    bool checking_ = false;
    bool stopped_ = false;
};

}  // namespace envmgr::host::health
