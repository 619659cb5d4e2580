// Finds, checks, creates, starts and stops every plugin. A plugin that fails any step is
// refused with its reason and the rest go on.
#pragma once

#include "config/config.h"
#include "config/environment.h"
#include "plugins/host_services.h"
#include "plugins/plugin_instance.h"
#include "plugins/plugin_library.h"

#include <spdlog/logger.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace envmgr::plugins {

struct PluginRecord {
    std::string file;
    std::optional<PluginInfo> info;  // set when the descriptor could be read
    std::string refusal;             // "" while the plugin is accepted

    [[nodiscard]] bool accepted() const noexcept { return refusal.empty(); }
};

class PluginManager {
public:
    PluginManager(HostServices services, std::shared_ptr<spdlog::logger> logger);
    PluginManager(const PluginManager&) = delete;
    PluginManager& operator=(const PluginManager&) = delete;
    ~PluginManager();

    // Loads and checks every *.so in dirs, in order (files sorted by name). Refuses
    // duplicates of an id already loaded.
    void discover(const std::vector<std::filesystem::path>& dirs);

    // Errors in [plugins.*] settings: unknown plugin ids, and keys or values a loaded
    // plugin's schema does not accept.
    [[nodiscard]] std::vector<std::string> check_settings(const config::Config& config,
                                                          const config::Environment& environment) const;

    // Creates the accepted plugins, backends first, then probes, services and frontends.
    void create_all(const config::Config& config, const config::Environment& environment);
    // Starts the created plugins in creation order; one that fails is destroyed and refused.
    void start_all();
    // Stops and destroys the created plugins in reverse creation order, each within bound.
    void stop_all(std::chrono::milliseconds bound_each);

    [[nodiscard]] const std::vector<PluginRecord>& records() const noexcept { return records_; }
    [[nodiscard]] std::size_t instance_count() const noexcept { return instances_.size(); }
    // The first created backend, or null.
    [[nodiscard]] PluginInstance* active_backend() const noexcept;

private:
    void refuse(std::size_t record, std::string reason);

    HostServices services_;
    std::shared_ptr<spdlog::logger> logger_;
    std::vector<PluginRecord> records_;
    std::vector<std::shared_ptr<PluginLibrary>> libraries_;  // parallel to records_ (null: refused)
    std::vector<std::unique_ptr<PluginInstance>> instances_;
    std::vector<std::size_t> instance_records_;  // record index of each instance
};

}  // namespace envmgr::plugins
