// SIGHUP asks for a reload of the configuration (`systemctl reload`). Caught from the start, so
// one sent while the daemon is still starting does not end it (SIGHUP's default action) but is
// logged and ignored; once enabled each one runs the reload, one at a time.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <spdlog/logger.h>

#include <functional>
#include <memory>
#include <mutex>

namespace envmgr::host::runtime {

class ReloadSignal {
public:
    ReloadSignal(boost::asio::io_context& io, std::shared_ptr<spdlog::logger> logger);

    // From now on each SIGHUP runs reload (on an io thread; the next waits for it). Waits for a
    // reload in progress, so enable({}) means no reload runs from its return on.
    void enable(std::function<void()> reload);
    // Stops listening (before the io threads stop).
    void cancel();

private:
    void arm();

    boost::asio::signal_set signals_;
    std::shared_ptr<spdlog::logger> logger_;
    std::mutex mutex_;
    std::function<void()> reload_;
};

}  // namespace envmgr::host::runtime
