#include "host/runtime/reload_signal.h"

#include <csignal>

namespace envmgr::host::runtime {

ReloadSignal::ReloadSignal(boost::asio::io_context& io, std::shared_ptr<spdlog::logger> logger)
    : signals_(io, SIGHUP), logger_(std::move(logger)) {
    arm();
}

void ReloadSignal::enable(std::function<void()> reload) {
    const std::lock_guard lock(mutex_);
    reload_ = std::move(reload);
}

void ReloadSignal::cancel() {
    signals_.cancel();
}

void ReloadSignal::arm() {
    signals_.async_wait([this](const boost::system::error_code& error, int /*signo*/) {
        if (error) return;  // cancelled: the daemon stops
        {
            // Held through the reload: enable({}) at shutdown waits for one in progress.
            const std::lock_guard lock(mutex_);
            if (reload_) {
                reload_();  // the next SIGHUP is only waited for after this one is done
            } else {
                logger_->warn("SIGHUP: the daemon is not serving (starting or stopping); nothing reloaded");
            }
        }
        arm();
    });
}

}  // namespace envmgr::host::runtime
