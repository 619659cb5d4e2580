#include "host/loader/plugin_instance.h"

#include <envmgr/sdk/async_call.h>
#include <envmgr/sdk/status.h>

#include <array>
#include <future>
#include <utility>

namespace envmgr::host::loader {

PluginInstance::PluginInstance(std::shared_ptr<PluginLibrary> library,
                               std::unique_ptr<envmgr_host_context> context, envmgr_plugin_instance* raw)
    : library_(std::move(library)), context_(std::move(context)), raw_(raw) {}

PluginInstance::~PluginInstance() {
    if (!retired_) shut_host_context(*context_, std::chrono::seconds(5));
    try {
        library_->descriptor().destroy(raw_);
    } catch (...) {  // a C destroy must not throw; if it does, the host still goes on
    }
}

std::string PluginInstance::last_error() const {
    const auto fn = library_->descriptor().last_error;
    if (fn == nullptr) return {};
    try {
        const char* text = fn(raw_);
        return text != nullptr ? text : "";
    } catch (...) {
        return {};
    }
}

PluginInstance::Retirement PluginInstance::retire(std::chrono::milliseconds bound) {
    retired_ = true;
    const bool stopped = !started_ || stop(bound);
    const auto shut = shut_host_context(*context_, bound);
    if (shut.calls_left > 0) {
        context_->logger->warn(
            "{} operation(s) started by plugin {} did not complete within {} ms of the "
            "cancel; their completions will be dropped",
            shut.calls_left, info().id, bound.count());
    }
    if (!stopped) return Retirement::stop_timed_out;
    if (shut.busy) return Retirement::callback_busy;
    return Retirement::ready;
}

PluginInstance::CreateOutcome PluginInstance::create(std::shared_ptr<PluginLibrary> library,
                                                     std::unique_ptr<envmgr_host_context> context,
                                                     const std::string& config_json) {
    std::array<char, ENVMGR_ERROR_BUFFER_SIZE> error{};
    envmgr_plugin_instance* raw = nullptr;
    envmgr_status status = ENVMGR_STATUS_INTERNAL;
    try {
        status = library->descriptor().create(&context->api, config_json.c_str(), &raw, error.data(),
                                              error.size());
    } catch (const std::exception& e) {
        return {nullptr, std::string("create threw an exception: ") + e.what()};
    } catch (...) {
        return {nullptr, "create threw an exception"};
    }
    error.back() = '\0';
    if (status != ENVMGR_STATUS_OK) {
        std::string reason = "create failed (" + std::string(sdk::status_name(status)) + ")";
        if (error[0] != '\0') reason += ": " + std::string(error.data());
        if (raw != nullptr) library->descriptor().destroy(raw);
        return {nullptr, reason};
    }
    if (raw == nullptr) return {nullptr, "create reported success but returned no instance"};
    return {std::unique_ptr<PluginInstance>(new PluginInstance(std::move(library), std::move(context), raw)),
            {}};
}

std::string PluginInstance::start() {
    const auto start_fn = library_->descriptor().start;
    if (start_fn == nullptr) {
        started_ = true;
        return {};
    }
    std::array<char, ENVMGR_ERROR_BUFFER_SIZE> error{};
    envmgr_status status = ENVMGR_STATUS_INTERNAL;
    try {
        status = start_fn(raw_, error.data(), error.size());
    } catch (const std::exception& e) {
        return std::string("start threw an exception: ") + e.what();
    } catch (...) {
        return "start threw an exception";
    }
    error.back() = '\0';
    if (status == ENVMGR_STATUS_OK) {
        started_ = true;
        return {};
    }
    std::string reason = "start failed (" + std::string(sdk::status_name(status)) + ")";
    if (error[0] != '\0') reason += ": " + std::string(error.data());
    return reason;
}

bool PluginInstance::stop(std::chrono::milliseconds bound) {
    const auto stop_fn = library_->descriptor().stop;
    if (stop_fn == nullptr) return true;
    // Shared so that a completion arriving after the bound has passed is still safe.
    auto finished = std::make_shared<std::promise<void>>();
    auto future = finished->get_future();
    const envmgr_callbacks callbacks =
        sdk::make_callbacks([finished](const sdk::Result&) { finished->set_value(); });
    try {
        stop_fn(raw_, &callbacks);
    } catch (...) {
        return false;
    }
    return future.wait_for(bound) == std::future_status::ready;
}

}  // namespace envmgr::host::loader
