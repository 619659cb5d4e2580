// The caller's side of an asynchronous ABI call: turns C++ handlers into envmgr_callbacks.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/status.h>

#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace envmgr::sdk {

using ItemHandler = std::function<void(std::string_view item_json)>;
using CompleteHandler = std::function<void(Result result)>;

namespace detail {
struct CallState {
    ItemHandler on_item;
    CompleteHandler on_complete;
};

inline void call_item(void* user, const char* item_json) noexcept {
    auto* state = static_cast<CallState*>(user);
    try {
        state->on_item(item_json != nullptr ? std::string_view(item_json) : std::string_view());
    } catch (...) {  // an exception must not unwind into the callee
    }
}

inline void call_complete(void* user, envmgr_status status, const char* payload) noexcept {
    auto* state = static_cast<CallState*>(user);
    try {
        state->on_complete(Result{status, payload != nullptr ? payload : ""});
    } catch (...) {
    }
    delete state;  // the completion runs exactly once, so the state ends here
}
}  // namespace detail

// Builds the callbacks for one call. The returned struct is only needed during the
// starting call; the handlers live until the completion has run.
inline envmgr_callbacks make_callbacks(CompleteHandler on_complete, ItemHandler on_item = {}) {
    auto* state = new detail::CallState{std::move(on_item), std::move(on_complete)};
    envmgr_callbacks callbacks{};
    callbacks.struct_size = sizeof(envmgr_callbacks);
    callbacks.user_data = state;
    callbacks.on_item = state->on_item ? &detail::call_item : nullptr;
    callbacks.on_complete = &detail::call_complete;
    return callbacks;
}

}  // namespace envmgr::sdk
