// What one plugin has started through the host API and what the host delivers back into it:
// its backend and manager operations in flight, the work it posted, its subscriptions. Every
// callback into the plugin passes through deliver(), so that before the plugin is destroyed
// the host can end all of it: shut() cancels the operations, waits (bounded) for their
// completions, ends the subscriptions, and then closes the gate, after which nothing reaches
// the plugin any more: a late completion or a posted task is dropped, never run.
#pragma once

#include <envmgr/abi.h>

#include <spdlog/logger.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace envmgr::host::loader {

class CallTracker : public std::enable_shared_from_this<CallTracker> {
public:
    enum class Phase { open, draining, closed };

    // Starts the call with host-owned callbacks; returns the callee's id.
    using Invoke = std::function<envmgr_operation_id(const envmgr_callbacks& host_callbacks)>;
    using Cancel = std::function<void(envmgr_operation_id callee_id)>;

    explicit CallTracker(std::shared_ptr<spdlog::logger> logger);

    // Starts an outgoing operation on behalf of the plugin. Returns the id the plugin cancels
    // it by (the host's own, so that backend and manager ids never collide), or 0 when it
    // completed during the call. While draining, a new call completes at once with CANCELLED;
    // once closed, it is refused (0, nothing runs).
    std::uint64_t start(const envmgr_callbacks& caller, const Invoke& invoke, Cancel cancel);
    void cancel(std::uint64_t id);

    // Runs fn (a callback into the plugin) unless the gate is closed; true when it ran.
    bool deliver(const std::function<void()>& fn);

    void add_subscription(std::uint64_t id);
    // False when the id is not one of this plugin's subscriptions.
    bool remove_subscription(std::uint64_t id);

    struct ShutResult {
        std::size_t calls_left = 0;  // still in flight when the bound passed: their ends are dropped
        bool busy = false;           // a callback into the plugin was still running at the bound
    };
    // Cancels the plugin's operations, ends its subscriptions through unsubscribe, waits up to
    // bound for the operations to complete and for running callbacks to return, then closes.
    // With busy, the plugin must not be destroyed (a callback of it is still running).
    ShutResult shut(std::chrono::milliseconds bound, const std::function<void(std::uint64_t)>& unsubscribe);

    [[nodiscard]] Phase phase() const;
    [[nodiscard]] std::size_t calls_in_flight() const;

private:
    struct Call;
    static void on_item(void* user, const char* item_json) noexcept;
    static void on_complete(void* user, envmgr_status status, const char* payload) noexcept;
    void finished(std::uint64_t id);

    std::shared_ptr<spdlog::logger> logger_;
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    Phase phase_ = Phase::open;
    std::size_t active_deliveries_ = 0;
    std::uint64_t next_id_ = 1;
    std::map<std::uint64_t, std::shared_ptr<Call>> calls_;
    std::set<std::uint64_t> subscriptions_;
};

// Reads a caller's callbacks; false (and nothing to call) when they are NULL, too short to
// hold on_complete, or have no on_complete.
bool read_callbacks(const envmgr_callbacks* callbacks, envmgr_callbacks& out) noexcept;

}  // namespace envmgr::host::loader
