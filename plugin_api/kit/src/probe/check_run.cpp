#include <envmgr/kit/probe/check_run.h>

#include <nlohmann/json.hpp>

namespace envmgr::kit::probe {

CheckRun::CheckRun(boost::asio::io_context& io, sdk::Completion done, std::chrono::milliseconds timeout)
    : done_(std::move(done)), timeout_(timeout), started_(std::chrono::steady_clock::now()), deadline_(io) {}

void CheckRun::start() {
    deadline_.expires_after(timeout_);
    deadline_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
        if (ec || self->finished_) return;
        if (self->abort_) self->abort_();
        self->unhealthy("timed out after " + std::to_string(self->timeout_.count()) + " ms " + self->phase_);
    });
}

double CheckRun::elapsed_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_).count();
}

void CheckRun::healthy(const std::string& message, Details details) {
    result(true, message, std::move(details));
}

void CheckRun::unhealthy(const std::string& message, Details details) {
    result(false, message, std::move(details));
}

void CheckRun::result(bool healthy, const std::string& message, Details details) {
    if (finished_) return;
    sdk::ProbeResult out;
    out.healthy = healthy;
    out.message = message;
    out.latency_ms = elapsed_ms();
    out.details = std::move(details);
    end();
    done_.ok(nlohmann::json(out).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void CheckRun::error(envmgr_status status, const std::string& message) {
    if (finished_) return;
    end();
    done_.fail(status, message);
}

void CheckRun::cancel() {
    if (finished_) return;
    if (abort_) abort_();
    end();
    done_.fail(ENVMGR_STATUS_CANCELLED, "cancelled");
}

void CheckRun::end() {
    finished_ = true;
    deadline_.cancel();
    // The abort handler holds the probe's session, which holds this run: dropping it ends the
    // cycle, so a finished session is freed as soon as its last handler returns.
    abort_ = nullptr;
    if (auto fn = std::move(on_finish_)) fn();
}

}  // namespace envmgr::kit::probe
