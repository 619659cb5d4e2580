// SIGINT and SIGTERM: the first asks the daemon to stop gracefully, a second exits at once
// (128 + the signal), for an operator whose graceful stop hangs.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <spdlog/logger.h>

#include <future>

namespace envmgr::host::runtime {

class StopSignals {
public:
    StopSignals(boost::asio::io_context& io, std::shared_ptr<spdlog::logger> logger);

    // Blocks until the first signal; returns its number.
    int wait();
    // Stops listening (before the io threads stop).
    void cancel();

private:
    void on_signal(const boost::system::error_code& error, int signo);

    boost::asio::signal_set signals_;
    std::shared_ptr<spdlog::logger> logger_;
    std::promise<int> requested_;
    int seen_ = 0;  // touched by the handler only, one at a time
};

}  // namespace envmgr::host::runtime
