#include "plugins/backends/docker/deadline_watch.h"

#include <utility>
#include <vector>

namespace envmgr::plugins::backends::docker {

DeadlineWatch::DeadlineWatch(boost::asio::io_context& io)
    : timer_(io), self_(std::make_shared<DeadlineWatch*>(this)) {}

DeadlineWatch::Ticket DeadlineWatch::watch(Clock::time_point deadline, std::function<void()> on_expiry) {
    const auto ticket = deadlines_.emplace(deadline, std::move(on_expiry));
    if (deadline < armed_for_) arm(deadline);
    return ticket;
}

void DeadlineWatch::drop(Ticket ticket) {
    // The timer stays as it is: when it fires, it finds nothing due and waits for what is left.
    if (ticket != deadlines_.end()) deadlines_.erase(ticket);
}

void DeadlineWatch::stop() {
    stopped_ = true;
    armed_for_ = Clock::time_point::max();
    timer_.cancel();
}

void DeadlineWatch::arm(Clock::time_point when) {
    if (stopped_) return;
    armed_for_ = when;
    timer_.expires_at(when);
    timer_.async_wait([weak = std::weak_ptr<DeadlineWatch*>(self_), when](boost::system::error_code ec) {
        const auto self = weak.lock();
        if (ec || !self) return;
        // A later arm() replaced this wait; that one will fire instead.
        if ((*self)->armed_for_ != when) return;
        (*self)->on_timer();
    });
}

void DeadlineWatch::on_timer() {
    armed_for_ = Clock::time_point::max();
    const auto now = Clock::now();
    std::vector<std::function<void()>> due;
    while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
        due.push_back(std::move(deadlines_.begin()->second));
        deadlines_.erase(deadlines_.begin());
    }
    if (!deadlines_.empty()) arm(deadlines_.begin()->first);
    // Run after the bookkeeping: an expiry may watch or drop other deadlines.
    for (auto& expire : due) expire();
}

}  // namespace envmgr::plugins::backends::docker
