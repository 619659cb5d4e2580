#include "host/health/probe_loop.h"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>

namespace envmgr::host::health {
namespace {

// How long past a probe's own timeout the supervisor waits before it gives up on the check.
constexpr Millis kProbeGrace{1000};

}  // namespace

ProbeLoop::ProbeLoop(const Strand& strand, std::weak_ptr<SupervisorShared> shared, sdk::ProbeSpec spec,
                     ProbeSchedule schedule, OnAnswer on_answer)
    : strand_(strand),
      shared_(std::move(shared)),
      spec_(std::move(spec)),
      schedule_(schedule),
      on_answer_(std::move(on_answer)),
      timer_(strand) {}

void ProbeLoop::start() {
    schedule_at(schedule_.first_check());
}

void ProbeLoop::stop() {
    stopped_ = true;
    timer_.cancel();
    if (!checking_) return;
    if (const auto shared = shared_.lock()) shared->runner.cancel(check_id_);
}

void ProbeLoop::schedule_at(TimePoint when) {
    timer_.expires_at(when);
    timer_.async_wait(
        boost::asio::bind_executor(strand_, [self = shared_from_this()](boost::system::error_code ec) {
            if (!ec && !self->stopped_) self->request_check();
        }));
}

void ProbeLoop::request_check() {
    const auto shared = shared_.lock();
    if (!shared) return;
    shared->limiter.acquire(
        [self = shared_from_this()] { boost::asio::post(self->strand_, [self] { self->run_check(); }); });
}

void ProbeLoop::run_check() {
    const auto shared = shared_.lock();
    if (!shared) return;
    if (stopped_) {
        shared->limiter.release();
        return;
    }
    checking_ = true;
    const auto generation = ++generation_;
    watch_deadline(generation);
    check_id_ = shared->runner.check(spec_, [weak = weak_from_this(), generation](CheckOutcome outcome) {
        const auto self = weak.lock();
        if (!self) return;
        boost::asio::post(self->strand_, [self, generation, outcome = std::move(outcome)]() mutable {
            self->on_outcome(generation, std::move(outcome));
        });
    });
}

// The probe keeps its own deadline; this is the supervisor's last word on one that does not
// answer at all.
void ProbeLoop::watch_deadline(std::uint64_t generation) {
    const auto timeout = Millis(spec_.timeout_ms);
    timer_.expires_after(timeout + kProbeGrace);
    timer_.async_wait(boost::asio::bind_executor(strand_, [self = shared_from_this(), generation,
                                                           timeout](boost::system::error_code ec) {
        if (ec || !self->checking_ || self->generation_ != generation) return;
        if (const auto shared = self->shared_.lock()) shared->runner.cancel(self->check_id_);
        CheckOutcome late;
        late.ran = true;
        late.result.message = "the probe did not answer within " + std::to_string(timeout.count()) + " ms";
        self->on_outcome(generation, std::move(late));
    }));
}

void ProbeLoop::on_outcome(std::uint64_t generation, CheckOutcome outcome) {
    if (!checking_ || generation_ != generation) return;  // answered late, already decided
    checking_ = false;
    const auto shared = shared_.lock();
    if (!shared) return;
    shared->limiter.release();
    if (stopped_) return;
    sdk::ProbeResult result = std::move(outcome.result);
    if (!outcome.ran) {
        result.healthy = false;
        result.message = "the probe could not run: " + outcome.error;
    }
    const auto now = Clock::now();
    const bool changed = schedule_.record(result.healthy, now);
    on_answer_(*this, result, changed);
    if (!stopped_) schedule_at(schedule_.next_check(now));
}

}  // namespace envmgr::host::health
