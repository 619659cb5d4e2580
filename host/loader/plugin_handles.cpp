#include "host/loader/plugin_handles.h"

#include "host/loader/plugin_instance.h"

namespace envmgr::host::loader {

PluginHandle::PluginHandle(std::shared_ptr<PluginInstance> plugin, std::shared_ptr<PluginCalls> calls)
    : plugin_(std::move(plugin)), calls_(std::move(calls)) {}

const PluginInfo& PluginHandle::info() const noexcept {
    return plugin_->info();
}

std::uint64_t BackendHandle::invoke(const std::string& operation, const std::string& request_json,
                                    PluginCalls::Done done, PluginCalls::Item item) const {
    return calls_->start(
        [&](const envmgr_callbacks& callbacks) { return invoke_with(operation, request_json, callbacks); },
        [plugin = plugin_](envmgr_operation_id id) {
            plugin->library().backend_api.cancel(plugin->raw(), id);
        },
        std::move(done), std::move(item));
}

envmgr_operation_id BackendHandle::invoke_with(const std::string& operation, const std::string& request_json,
                                               const envmgr_callbacks& callbacks) const {
    return plugin_->library().backend_api.invoke(plugin_->raw(), operation.c_str(), request_json.c_str(),
                                                 &callbacks);
}

void BackendHandle::cancel_operation(envmgr_operation_id operation) const {
    plugin_->library().backend_api.cancel(plugin_->raw(), operation);
}

std::string ProbeHandle::probe_type() const {
    const char* type = plugin_->library().probe_api.probe_type;
    return type != nullptr ? type : "";
}

std::uint64_t ProbeHandle::check(const std::string& spec_json, PluginCalls::Done done) const {
    const auto& api = plugin_->library().probe_api;
    return calls_->start(
        [&](const envmgr_callbacks& callbacks) {
            return api.check(plugin_->raw(), spec_json.c_str(), &callbacks);
        },
        [plugin = plugin_](envmgr_operation_id id) { plugin->library().probe_api.cancel(plugin->raw(), id); },
        std::move(done));
}

ServiceHandle::Definitions ServiceHandle::definitions() const {
    const char* text = nullptr;
    try {
        text = plugin_->library().service_api.definitions(plugin_->raw());
    } catch (...) {  // a C function must not throw; one that does is treated as having failed
    }
    if (text == nullptr) return {std::nullopt, plugin_->last_error()};
    return {std::string(text), {}};
}

bool ServiceHandle::resolves() const noexcept {
    return plugin_->library().service_api.resolve != nullptr;
}

std::uint64_t ServiceHandle::resolve(const std::string& service, const std::string& context_json,
                                     PluginCalls::Done done) const {
    const auto& api = plugin_->library().service_api;
    return calls_->start(
        [&](const envmgr_callbacks& callbacks) {
            return api.resolve(plugin_->raw(), service.c_str(), context_json.c_str(), &callbacks);
        },
        [plugin = plugin_](envmgr_operation_id id) {
            plugin->library().service_api.cancel(plugin->raw(), id);
        },
        std::move(done));
}

std::string FrontendHandle::endpoint() const {
    const auto endpoint = plugin_->library().frontend_api.endpoint;
    if (endpoint == nullptr) return {};
    const char* text = endpoint(plugin_->raw());
    return text != nullptr ? text : "";
}

}  // namespace envmgr::host::loader
