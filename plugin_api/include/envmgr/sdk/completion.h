// The callee's side of an asynchronous ABI call: delivers items and completes exactly once.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/status.h>
#include <envmgr/sdk/struct_view.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

namespace envmgr::sdk {

// Copyable handle over the caller's envmgr_callbacks. The first complete() wins; later ones
// are ignored. If every copy is dropped without completing, the operation completes with
// ENVMGR_STATUS_INTERNAL so that a caller is never left waiting.
class Completion {
public:
    Completion() = default;
    explicit Completion(const envmgr_callbacks* callbacks)
        : state_(std::make_shared<State>(read_sized_struct<envmgr_callbacks>(callbacks))) {}

    // Delivers one item, unless the operation has completed. Items and the completion never
    // overlap, whichever threads call them; a completion asked for from inside on_item (say,
    // the caller cancels there) runs right after on_item returns.
    void item(const std::string& json) const {
        if (state_ && state_->callbacks.on_item != nullptr) state_->deliver(json.c_str());
    }

    // Returns false when the operation had already completed.
    bool complete(envmgr_status status, const std::string& payload) const {
        return state_ && state_->finish(status, payload.c_str());
    }
    bool ok(const std::string& result_json = {}) const {
        return state_ &&
               state_->finish(ENVMGR_STATUS_OK, result_json.empty() ? nullptr : result_json.c_str());
    }
    bool fail(envmgr_status status, const std::string& message) const { return complete(status, message); }

    [[nodiscard]] bool done() const noexcept { return !state_ || state_->done.load(); }
    [[nodiscard]] bool streaming() const noexcept { return state_ && state_->callbacks.on_item != nullptr; }

private:
    struct State {
        explicit State(envmgr_callbacks cb) : callbacks(cb) {}
        State(const State&) = delete;
        State& operator=(const State&) = delete;
        ~State() { finish(ENVMGR_STATUS_INTERNAL, "operation dropped without completing"); }

        void deliver(const char* json) noexcept {
            const std::lock_guard lock(mutex);
            if (done.load()) return;
            delivering = true;
            callbacks.on_item(callbacks.user_data, json);
            delivering = false;
            if (deferred) {
                deferred = false;
                callbacks.on_complete(callbacks.user_data, deferred_status,
                                      deferred_payload.empty() ? nullptr : deferred_payload.c_str());
            }
        }

        bool finish(envmgr_status status, const char* payload) noexcept {
            const std::lock_guard lock(mutex);
            if (done.exchange(true)) return false;
            if (callbacks.on_complete == nullptr) return true;
            if (delivering) {  // called from inside on_item on this thread: after it returns
                deferred = true;
                deferred_status = status;
                deferred_payload = payload != nullptr ? payload : "";
                return true;
            }
            callbacks.on_complete(callbacks.user_data, status, payload);
            return true;
        }

        envmgr_callbacks callbacks;
        std::recursive_mutex mutex;  // orders items before the completion
        std::atomic<bool> done{false};
        bool delivering = false;
        bool deferred = false;
        envmgr_status deferred_status = ENVMGR_STATUS_OK;
        std::string deferred_payload;
    };
    std::shared_ptr<State> state_;
};

}  // namespace envmgr::sdk
