// What a probe plugin that does its own I/O needs around its checks: an io thread, the checks in
// flight by id (for cancel), and stop/destroy that end them all. The tcp and http probes own one
// each; the probe type only writes how one check runs.
#pragma once

#include <envmgr/kit/io_thread.h>
#include <envmgr/kit/probe/check_run.h>

#include <envmgr/sdk/completion.h>
#include <envmgr/sdk/host.h>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>

namespace envmgr::kit::probe {

class AsyncProbe {
public:
    explicit AsyncProbe(const sdk::Host& host);
    AsyncProbe(const AsyncProbe&) = delete;
    AsyncProbe& operator=(const AsyncProbe&) = delete;
    // Cancels what is in flight and joins the io thread (bounded).
    ~AsyncProbe();

    // Starts one check: body runs on the io thread with the check, whose deadline is armed.
    envmgr_operation_id start(const sdk::Completion& done, std::chrono::milliseconds timeout,
                              std::function<void(const CheckRunPtr&)> body);
    void cancel(envmgr_operation_id id);
    // Cancels every check in flight, then completes done.
    void stop(const sdk::Completion& done);

    [[nodiscard]] boost::asio::io_context& io() noexcept { return io_thread_.context(); }

private:
    void cancel_all();

    std::mutex mutex_;
    std::map<envmgr_operation_id, CheckRunPtr> checks_;
    std::atomic<envmgr_operation_id> next_id_{1};
    kit::IoThread io_thread_;  // last: stopped first, before the checks go
};

}  // namespace envmgr::kit::probe
