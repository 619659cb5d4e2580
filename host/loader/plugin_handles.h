// Typed handles on created plugins: the one place the host calls a plugin's kind table
// (envmgr_backend_api, envmgr_probe_api, envmgr_service_api, envmgr_frontend_api). A handle
// keeps its plugin alive while held; an asynchronous operation goes through the PluginCalls it
// was given, which keeps the plugin alive until the operation completes.
#pragma once

#include "host/loader/plugin_calls.h"
#include "host/loader/plugin_info.h"

#include <memory>
#include <optional>
#include <string>

namespace envmgr::host::loader {

class PluginInstance;

class PluginHandle {
public:
    PluginHandle(std::shared_ptr<PluginInstance> plugin, std::shared_ptr<PluginCalls> calls);

    [[nodiscard]] const PluginInfo& info() const noexcept;
    // The plugin's address: recognises it again later without holding it.
    [[nodiscard]] const void* identity() const noexcept { return plugin_.get(); }
    // Cancels an operation this handle (or another of the same PluginCalls) started.
    void cancel(std::uint64_t call) const { calls_->cancel(call); }

protected:
    std::shared_ptr<PluginInstance> plugin_;
    std::shared_ptr<PluginCalls> calls_;
};

class BackendHandle : public PluginHandle {
public:
    using PluginHandle::PluginHandle;

    // Starts a named backend operation. done runs exactly once, item for each streamed item.
    // The id to cancel by, or 0 when it completed during the call.
    std::uint64_t invoke(const std::string& operation, const std::string& request_json,
                         PluginCalls::Done done, PluginCalls::Item item = {}) const;
    // The same with the caller's own callbacks, for the host API: its CallTracker keeps those calls.
    envmgr_operation_id invoke_with(const std::string& operation, const std::string& request_json,
                                    const envmgr_callbacks& callbacks) const;
    void cancel_operation(envmgr_operation_id operation) const;
};

class ProbeHandle : public PluginHandle {
public:
    using PluginHandle::PluginHandle;

    [[nodiscard]] std::string probe_type() const;
    // Runs one check (spec_json: a probe spec). As BackendHandle::invoke.
    std::uint64_t check(const std::string& spec_json, PluginCalls::Done done) const;
};

class ServiceHandle : public PluginHandle {
public:
    using PluginHandle::PluginHandle;

    // The plugin's definitions document, or nullopt with why (its last_error, or "").
    struct Definitions {
        std::optional<std::string> json;
        std::string error;
    };
    [[nodiscard]] Definitions definitions() const;
    [[nodiscard]] bool resolves() const noexcept;
    // Resolves one service (only when resolves()). As BackendHandle::invoke.
    std::uint64_t resolve(const std::string& service, const std::string& context_json,
                          PluginCalls::Done done) const;
};

class FrontendHandle : public PluginHandle {
public:
    using PluginHandle::PluginHandle;

    // Where the frontend listens, or "" when it does not say.
    [[nodiscard]] std::string endpoint() const;
};

}  // namespace envmgr::host::loader
