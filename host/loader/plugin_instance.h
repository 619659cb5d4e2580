// A created plugin: its library, its host context and the plugin's own instance. Destroying
// it calls the plugin's destroy, then lets the library go. The plugin manager retires an
// instance first (stop, then the end of what it started through the host API) and destroys it
// only when that went well; otherwise the instance is abandoned, never destroyed.
#pragma once

#include "host/loader/host_context.h"
#include "host/loader/plugin_library.h"

#include <chrono>
#include <memory>
#include <string>

namespace envmgr::host::loader {

class PluginInstance {
public:
    struct CreateOutcome {
        std::unique_ptr<PluginInstance> instance;
        std::string error;
    };

    // Calls the descriptor's create; a failure or an exception becomes error.
    static CreateOutcome create(std::shared_ptr<PluginLibrary> library,
                                std::unique_ptr<envmgr_host_context> context, const std::string& config_json);

    PluginInstance(const PluginInstance&) = delete;
    PluginInstance& operator=(const PluginInstance&) = delete;
    // Calls destroy. An instance that was not retired has its host context shut first.
    ~PluginInstance();

    // "" on success, else the plugin's reason.
    std::string start();

    enum class Retirement {
        ready,           // destroy may follow
        stop_timed_out,  // stop did not complete within the bound: never destroy
        callback_busy,   // a callback into the plugin was still running: never destroy
    };
    // Stops the plugin when it was started (waiting at most bound for stop to complete), then
    // ends what it started through the host API (waiting at most bound again).
    Retirement retire(std::chrono::milliseconds bound);

    [[nodiscard]] const PluginLibrary& library() const noexcept { return *library_; }
    [[nodiscard]] const PluginInfo& info() const noexcept { return library_->info(); }
    [[nodiscard]] envmgr_plugin_instance* raw() const noexcept { return raw_; }
    [[nodiscard]] const envmgr_host_context& context() const noexcept { return *context_; }
    // The plugin's last_error() (ABI 1.1), or "" when it has none.
    [[nodiscard]] std::string last_error() const;

private:
    PluginInstance(std::shared_ptr<PluginLibrary> library, std::unique_ptr<envmgr_host_context> context,
                   envmgr_plugin_instance* raw);
    // Asks the plugin to stop and waits at most bound. False when it did not finish in time.
    bool stop(std::chrono::milliseconds bound);

    // Declared first so it is destroyed last: the library outlives everything it made.
    std::shared_ptr<PluginLibrary> library_;
    std::unique_ptr<envmgr_host_context> context_;
    envmgr_plugin_instance* raw_;
    bool started_ = false;
    bool retired_ = false;
};

}  // namespace envmgr::host::loader
