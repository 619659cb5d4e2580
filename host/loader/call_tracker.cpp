#include "host/loader/call_tracker.h"

#include <envmgr/sdk/struct_view.h>

#include <cstddef>
#include <vector>

namespace envmgr::host::loader {

struct CallTracker::Call {
    std::shared_ptr<CallTracker> tracker;  // the completion may outlive the plugin's context
    std::uint64_t id = 0;
    envmgr_callbacks caller{};
    Cancel cancel;
    std::mutex mutex;
    envmgr_operation_id callee_id = 0;
    bool started = false;           // invoke returned
    bool cancel_requested = false;  // cancel came before the callee's id was known
};

bool read_callbacks(const envmgr_callbacks* callbacks, envmgr_callbacks& out) noexcept {
    if (callbacks == nullptr) return false;
    out = sdk::read_sized_struct<envmgr_callbacks>(callbacks);
    constexpr std::size_t kNeeded = offsetof(envmgr_callbacks, on_complete) + sizeof(envmgr_complete_fn);
    return out.struct_size >= kNeeded && out.on_complete != nullptr;
}

CallTracker::CallTracker(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}

std::uint64_t CallTracker::start(const envmgr_callbacks& caller, const Invoke& invoke, Cancel cancel) {
    auto call = std::make_shared<Call>();
    {
        std::unique_lock lock(mutex_);
        if (phase_ == Phase::closed) {
            logger_->warn("an operation started after the plugin was shut down was refused");
            return 0;
        }
        if (phase_ == Phase::draining) {
            lock.unlock();
            deliver([&] {
                caller.on_complete(caller.user_data, ENVMGR_STATUS_CANCELLED, "the plugin is stopping");
            });
            return 0;
        }
        call->tracker = shared_from_this();
        call->id = next_id_++;
        call->caller = caller;
        call->cancel = std::move(cancel);
        calls_.emplace(call->id, call);
    }
    envmgr_callbacks host_callbacks{};
    host_callbacks.struct_size = sizeof host_callbacks;
    // Owned by the callee's completion, which deletes it; holds the call (and this tracker)
    // alive for as long as the callee may still complete.
    host_callbacks.user_data = new std::shared_ptr<Call>(call);
    host_callbacks.on_item = caller.on_item != nullptr ? &CallTracker::on_item : nullptr;
    host_callbacks.on_complete = &CallTracker::on_complete;
    const envmgr_operation_id callee_id = invoke(host_callbacks);
    bool cancel_now = false;
    {
        const std::lock_guard call_lock(call->mutex);
        call->callee_id = callee_id;
        call->started = true;
        cancel_now = call->cancel_requested && callee_id != 0;
    }
    if (cancel_now) call->cancel(callee_id);
    const std::lock_guard lock(mutex_);
    return calls_.contains(call->id) ? call->id : 0;
}

void CallTracker::cancel(std::uint64_t id) {
    std::shared_ptr<Call> call;
    {
        const std::lock_guard lock(mutex_);
        const auto it = calls_.find(id);
        if (it == calls_.end()) return;
        call = it->second;
    }
    envmgr_operation_id callee_id = 0;
    {
        const std::lock_guard call_lock(call->mutex);
        if (!call->started) {
            call->cancel_requested = true;
            return;
        }
        callee_id = call->callee_id;
    }
    if (callee_id != 0) call->cancel(callee_id);
}

bool CallTracker::deliver(const std::function<void()>& fn) {
    {
        const std::lock_guard lock(mutex_);
        if (phase_ == Phase::closed) return false;
        ++active_deliveries_;
    }
    try {
        fn();
    } catch (...) {  // a C callback must not throw; one that does stays contained
    }
    {
        const std::lock_guard lock(mutex_);
        --active_deliveries_;
    }
    changed_.notify_all();
    return true;
}

void CallTracker::on_item(void* user, const char* item_json) noexcept {
    const auto& call = *static_cast<std::shared_ptr<Call>*>(user);
    call->tracker->deliver([&] { call->caller.on_item(call->caller.user_data, item_json); });
}

void CallTracker::on_complete(void* user, envmgr_status status, const char* payload) noexcept {
    const std::unique_ptr<std::shared_ptr<Call>> holder(static_cast<std::shared_ptr<Call>*>(user));
    const auto& call = *holder;
    // Delivered before the call is forgotten, so that shut() never closes the gate between the
    // two and drops a completion that arrived in time.
    const bool delivered =
        call->tracker->deliver([&] { call->caller.on_complete(call->caller.user_data, status, payload); });
    if (!delivered) {
        call->tracker->logger_->debug("a completion arrived after the plugin was shut down; dropped");
    }
    call->tracker->finished(call->id);
}

void CallTracker::finished(std::uint64_t id) {
    {
        const std::lock_guard lock(mutex_);
        calls_.erase(id);
    }
    changed_.notify_all();
}

void CallTracker::add_subscription(std::uint64_t id) {
    const std::lock_guard lock(mutex_);
    subscriptions_.insert(id);
}

bool CallTracker::remove_subscription(std::uint64_t id) {
    const std::lock_guard lock(mutex_);
    return subscriptions_.erase(id) > 0;
}

CallTracker::ShutResult CallTracker::shut(std::chrono::milliseconds bound,
                                          const std::function<void(std::uint64_t)>& unsubscribe) {
    const auto deadline = std::chrono::steady_clock::now() + bound;
    std::vector<std::uint64_t> calls;
    std::set<std::uint64_t> subscriptions;
    {
        const std::lock_guard lock(mutex_);
        if (phase_ == Phase::open) phase_ = Phase::draining;
        for (const auto& [id, call] : calls_) calls.push_back(id);
        subscriptions.swap(subscriptions_);
    }
    for (const auto id : subscriptions) unsubscribe(id);
    for (const auto id : calls) cancel(id);
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [this] { return calls_.empty(); });
    ShutResult result;
    result.calls_left = calls_.size();
    phase_ = Phase::closed;
    result.busy = !changed_.wait_until(lock, deadline, [this] { return active_deliveries_ == 0; });
    return result;
}

CallTracker::Phase CallTracker::phase() const {
    const std::lock_guard lock(mutex_);
    return phase_;
}

std::size_t CallTracker::calls_in_flight() const {
    const std::lock_guard lock(mutex_);
    return calls_.size();
}

}  // namespace envmgr::host::loader
