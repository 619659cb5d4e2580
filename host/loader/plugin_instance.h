// A created plugin: its library, its host context and the plugin's own instance. Destroying
// it calls the plugin's destroy, then lets the library go.
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
    ~PluginInstance();

    // "" on success, else the plugin's reason.
    std::string start();
    // Asks the plugin to stop and waits at most bound. False when it did not finish in time.
    bool stop(std::chrono::milliseconds bound);

    [[nodiscard]] const PluginLibrary& library() const noexcept { return *library_; }
    [[nodiscard]] const PluginInfo& info() const noexcept { return library_->info(); }
    [[nodiscard]] envmgr_plugin_instance* raw() const noexcept { return raw_; }

private:
    PluginInstance(std::shared_ptr<PluginLibrary> library, std::unique_ptr<envmgr_host_context> context,
                   envmgr_plugin_instance* raw);

    // Declared first so it is destroyed last: the library outlives everything it made.
    std::shared_ptr<PluginLibrary> library_;
    std::unique_ptr<envmgr_host_context> context_;
    envmgr_plugin_instance* raw_;
};

}  // namespace envmgr::host::loader
