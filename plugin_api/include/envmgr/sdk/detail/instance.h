// What the instance pointer handed to the host really points to, and the guards that keep
// every exception on the plugin's side of the boundary.
#pragma once

#include <envmgr/abi.h>
#include <envmgr/sdk/completion.h>
#include <envmgr/sdk/host.h>
#include <envmgr/sdk/status.h>

#include <nlohmann/json.hpp>

#include <exception>
#include <optional>
#include <string>

namespace envmgr::sdk::detail {

template <typename T>
struct Instance {
    Host host;
    T plugin;
    // Computed at the first successful call and returned again after: valid until destroy.
    std::optional<std::string> definitions_json;
    std::optional<std::string> endpoint_text;
    // Why the last synchronous call failed (ABI 1.1 last_error); "" : it did not.
    std::string last_error;

    Instance(const envmgr_host_api* api, const nlohmann::json& config) : host(api), plugin(host, config) {}
};

template <typename T>
Instance<T>* self_of(envmgr_plugin_instance* self) {
    return reinterpret_cast<Instance<T>*>(self);
}

inline envmgr_status status_of_current_exception(std::string& message) noexcept {
    try {
        throw;
    } catch (const Error& e) {
        message = e.what();
        return e.code();
    } catch (const nlohmann::json::exception& e) {
        message = e.what();
        return ENVMGR_STATUS_INVALID;
    } catch (const std::exception& e) {
        message = e.what();
        return ENVMGR_STATUS_INTERNAL;
    } catch (...) {
        message = "unknown exception";
        return ENVMGR_STATUS_INTERNAL;
    }
}

// Runs an asynchronous entry point; an exception completes the operation instead of escaping.
// Callbacks that cannot be completed are refused at once (0; abi.h).
template <typename Fn>
envmgr_operation_id guarded_async(const envmgr_callbacks* callbacks, Fn&& fn) noexcept {
    if (!Completion::usable(callbacks)) return 0;
    try {
        Completion done(callbacks);
        try {
            return fn(done);
        } catch (...) {
            std::string message;
            const envmgr_status status = status_of_current_exception(message);
            done.fail(status, message);
            return 0;
        }
    } catch (...) {  // out of memory making the completion: nothing can be reported
        return 0;
    }
}

// Runs a synchronous entry point (create, start): OK, or the status of what fn threw with its
// message written into the host's error buffer.
template <typename Fn>
envmgr_status guarded_sync(char* error, size_t error_size, Fn&& fn) noexcept {
    try {
        fn();
        return ENVMGR_STATUS_OK;
    } catch (...) {
        std::string message;
        const envmgr_status status = status_of_current_exception(message);
        write_error(error, error_size, message);
        return status == ENVMGR_STATUS_OK ? ENVMGR_STATUS_INTERNAL : status;
    }
}

// Runs a synchronous call that returns a document kept in `cache` (definitions, endpoint):
// computed once, then the same storage; NULL on failure, with the reason in last_error.
template <typename T, typename Fn>
const char* cached_text(Instance<T>& instance, std::optional<std::string>& cache, Fn&& compute) noexcept {
    try {
        instance.last_error.clear();
        if (!cache) cache.emplace(compute());
        return cache->c_str();
    } catch (...) {
        std::string message;
        status_of_current_exception(message);
        try {
            instance.last_error = message.empty() ? "failed" : message;
        } catch (...) {
        }
        return nullptr;
    }
}

// A request document: a JSON object; null or empty text mean {}.
inline nlohmann::json parse_object(const char* text, const char* what) {
    if (text == nullptr || *text == '\0') return nlohmann::json::object();
    auto parsed = nlohmann::json::parse(text);
    if (parsed.is_null()) return nlohmann::json::object();
    if (!parsed.is_object()) {
        throw Error(ENVMGR_STATUS_INVALID, std::string(what) + ": must be a JSON object");
    }
    return parsed;
}

}  // namespace envmgr::sdk::detail
