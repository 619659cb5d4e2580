// The deadlines of all exchanges of one client, kept with a single timer that is set only
// when a deadline comes earlier than the one it waits for. Exchanges in a steady stream, whose
// deadlines keep moving later, then cost no timer system call at all (a timer per exchange
// costs several per call).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>

namespace envmgr::plugins::backends::docker {

class DeadlineWatch {
public:
    using Clock = std::chrono::steady_clock;
    using Ticket = std::multimap<Clock::time_point, std::function<void()>>::iterator;

    explicit DeadlineWatch(boost::asio::io_context& io);

    // on_expiry runs on the io thread once the deadline has passed, unless the ticket is
    // dropped first. All calls on the io thread.
    Ticket watch(Clock::time_point deadline, std::function<void()> on_expiry);
    void drop(Ticket ticket);
    [[nodiscard]] Ticket none() { return deadlines_.end(); }
    // No more expiries: the timer stops, so that it no longer keeps the io_context running.
    void stop();

private:
    void arm(Clock::time_point when);
    void on_timer();

    boost::asio::steady_timer timer_;
    std::multimap<Clock::time_point, std::function<void()>> deadlines_;
    Clock::time_point armed_for_ = Clock::time_point::max();
    bool stopped_ = false;
    // The timer's handler may outlive the watch (it runs once more, cancelled, after it).
    std::shared_ptr<DeadlineWatch*> self_;
};

}  // namespace envmgr::plugins::backends::docker
