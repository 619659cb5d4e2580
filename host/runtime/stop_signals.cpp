#include "host/runtime/stop_signals.h"

#include <csignal>
#include <cstdlib>

namespace envmgr::host::runtime {

StopSignals::StopSignals(boost::asio::io_context& io, std::shared_ptr<spdlog::logger> logger)
    : signals_(io, SIGINT, SIGTERM), logger_(std::move(logger)) {
    signals_.async_wait([this](const auto& error, int signo) { on_signal(error, signo); });
}

int StopSignals::wait() {
    return requested_.get_future().get();
}

void StopSignals::cancel() {
    signals_.cancel();
}

void StopSignals::on_signal(const boost::system::error_code& error, int signo) {
    if (error) return;
    if (++seen_ == 1) {
        logger_->info("received signal {}; shutting down (send it again to force)", signo);
        requested_.set_value(signo);
        signals_.async_wait([this](const auto& again, int next) { on_signal(again, next); });
        return;
    }
    logger_->warn("received signal {} again; exiting at once", signo);
    logger_->flush();
    std::_Exit(128 + signo);
}

}  // namespace envmgr::host::runtime
