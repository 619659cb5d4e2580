// One check in flight, the part every probe type shares (as Envoy's health checkers share one
// base): its deadline, its latency, its one completion (a probe result, or a status when the
// probe could not run) and its cancellation. Everything but construction runs on the probe's
// io thread.
#pragma once

#include <envmgr/sdk/completion.h>
#include <envmgr/sdk/documents/probe.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

namespace envmgr::kit::probe {

class CheckRun : public std::enable_shared_from_this<CheckRun> {
public:
    using Details = std::map<std::string, std::string>;

    CheckRun(boost::asio::io_context& io, sdk::Completion done, std::chrono::milliseconds timeout);

    // Stops the check's I/O (closes its socket, cancels its call); run on deadline and cancel.
    void on_abort(std::function<void()> abort) { abort_ = std::move(abort); }
    // Arms the deadline. When it passes first, the I/O is aborted and the check ends unhealthy:
    // "timed out after N ms" plus what it was doing (`phase`, kept current by the probe).
    void start();
    void set_phase(std::string phase) { phase_ = std::move(phase); }

    // The check ran: the service is ready, or it is not (status OK either way).
    void healthy(const std::string& message, Details details = {});
    void unhealthy(const std::string& message, Details details = {});
    // The probe could not run (a bad spec, no backend): a non-OK status.
    void error(envmgr_status status, const std::string& message);
    // Cancelled by the caller: CANCELLED.
    void cancel();

    [[nodiscard]] bool finished() const noexcept { return finished_; }
    [[nodiscard]] std::chrono::milliseconds timeout() const noexcept { return timeout_; }
    [[nodiscard]] double elapsed_ms() const;
    // Runs once when the check ends, however it ends (the registry forgets it).
    void on_finish(std::function<void()> fn) { on_finish_ = std::move(fn); }

private:
    void result(bool healthy, const std::string& message, Details details);
    void end();

    sdk::Completion done_;
    std::chrono::milliseconds timeout_;
    std::chrono::steady_clock::time_point started_;
    boost::asio::steady_timer deadline_;
    std::function<void()> abort_;
    std::function<void()> on_finish_;
    std::string phase_ = "connecting";
    bool finished_ = false;
};

using CheckRunPtr = std::shared_ptr<CheckRun>;

}  // namespace envmgr::kit::probe
