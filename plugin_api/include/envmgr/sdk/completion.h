// The callee's side of an asynchronous ABI call: delivers items and completes exactly once.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/status.h>
#include <envmgr/sdk/struct_view.h>

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace envmgr::sdk {

// Copyable handle over the caller's envmgr_callbacks. The first complete() wins; later ones
// are ignored. If every copy is dropped without completing, the operation completes with
// ENVMGR_STATUS_INTERNAL so that a caller is never left waiting.
//
// Delivery rules (abi.h): callbacks run with no lock of this object held, so that a callback
// may call back into the plugin (cancel, invoke) and take its own locks; items never overlap
// and arrive in order, and nothing follows the completion. An item or completion asked for
// while another thread (or the callback itself) is delivering is queued and delivered, in
// order, by the thread already delivering, right after its callback returns.
class Completion {
public:
    Completion() = default;
    explicit Completion(const envmgr_callbacks* callbacks)
        : state_(std::make_shared<State>(read_sized_struct<envmgr_callbacks>(callbacks))) {}

    // The caller's callbacks can be completed: not NULL, large enough, with an on_complete.
    [[nodiscard]] static bool usable(const envmgr_callbacks* callbacks) noexcept {
        if (callbacks == nullptr) return false;
        const auto read = read_sized_struct<envmgr_callbacks>(callbacks);
        return read.struct_size >= offsetof(envmgr_callbacks, on_complete) + sizeof(envmgr_complete_fn) &&
               read.on_complete != nullptr;
    }

    // Delivers one item, unless the operation has completed.
    void item(const std::string& json) const {
        if (state_ && state_->callbacks.on_item != nullptr) {
            state_->push(Event{false, ENVMGR_STATUS_OK, json});
        }
    }

    // Returns false when the operation had already completed.
    bool complete(envmgr_status status, const std::string& payload) const {
        return state_ && state_->push(Event{true, status, payload});
    }
    bool ok(const std::string& result_json = {}) const { return complete(ENVMGR_STATUS_OK, result_json); }
    bool fail(envmgr_status status, const std::string& message) const { return complete(status, message); }

    [[nodiscard]] bool done() const noexcept {
        if (!state_) return true;
        const std::lock_guard lock(state_->mutex);
        return state_->completed;
    }
    [[nodiscard]] bool streaming() const noexcept { return state_ && state_->callbacks.on_item != nullptr; }

private:
    struct Event {
        bool completion = false;
        envmgr_status status = ENVMGR_STATUS_OK;
        std::string text;  // item JSON, result JSON ("" : none) or error message
    };

    struct State {
        explicit State(envmgr_callbacks cb) : callbacks(cb) {}
        State(const State&) = delete;
        State& operator=(const State&) = delete;
        ~State() { push(Event{true, ENVMGR_STATUS_INTERNAL, "operation dropped without completing"}); }

        // Queues an event; delivers it (and whatever else is queued) unless someone else is
        // delivering already. False when the operation had completed.
        bool push(Event event) noexcept {
            {
                const std::lock_guard lock(mutex);
                if (completed) return false;
                if (event.completion) completed = true;
                if (callbacks.on_complete == nullptr) return true;
                try {
                    queue.push_back(std::move(event));
                } catch (...) {  // out of memory: nothing sensible is left to deliver
                    return true;
                }
                if (delivering) return true;
                delivering = true;
            }
            drain();
            return true;
        }

        void drain() noexcept {
            for (;;) {
                std::optional<Event> next;
                {
                    const std::lock_guard lock(mutex);
                    if (queue.empty()) {
                        delivering = false;
                        return;
                    }
                    next.emplace(std::move(queue.front()));
                    queue.pop_front();
                }
                if (next->completion) {
                    callbacks.on_complete(callbacks.user_data, next->status,
                                          next->text.empty() ? nullptr : next->text.c_str());
                    return;  // nothing follows; the caller may have freed user_data
                }
                callbacks.on_item(callbacks.user_data, next->text.c_str());
            }
        }

        envmgr_callbacks callbacks;
        std::mutex mutex;  // guards the fields below, never held during a callback
        std::deque<Event> queue;
        bool delivering = false;
        bool completed = false;
    };
    std::shared_ptr<State> state_;
};

}  // namespace envmgr::sdk
