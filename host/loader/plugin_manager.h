// Finds, checks, creates, starts and stops every plugin. A plugin that fails any step is
// refused with its reason and the rest go on.
#pragma once

#include "host/config/config.h"
#include "host/config/environment.h"
#include "host/loader/host_services.h"
#include "host/loader/plugin_calls.h"
#include "host/loader/plugin_handles.h"
#include "host/loader/plugin_instance.h"
#include "host/loader/plugin_library.h"

#include <envmgr/sdk/documents/service_definition.h>

#include <spdlog/logger.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

namespace envmgr::host::loader {

struct PluginRecord {
    std::string file;
    std::optional<PluginInfo> info;  // set when the descriptor could be read
    std::string refusal;             // "" while the plugin is accepted
    std::string idle;                // why an accepted backend was not created (another, or none, was chosen)

    [[nodiscard]] bool accepted() const noexcept { return refusal.empty(); }
};

class PluginManager {
public:
    PluginManager(HostServices services, std::shared_ptr<spdlog::logger> logger);
    PluginManager(const PluginManager&) = delete;
    PluginManager& operator=(const PluginManager&) = delete;
    ~PluginManager();

    // Loads and checks every *.so in dirs, in order (files sorted by name). Refuses
    // duplicates of an id already loaded, and a probe type another probe plugin handles.
    void discover(const std::vector<std::filesystem::path>& dirs);

    // Errors in [plugins.*] settings: unknown plugin ids, and keys or values a loaded
    // plugin's schema does not accept.
    [[nodiscard]] std::vector<std::string> check_settings(const config::Config& config,
                                                          const config::Environment& environment) const;

    // Creates the accepted plugins, backends first, then probes, services and frontends, and
    // reads and validates every service plugin's definitions (a plugin whose definitions are
    // missing, invalid or clash with another plugin's is refused).
    void create_all(const config::Config& config, const config::Environment& environment);
    // Starts the created plugins in creation order; one that fails is destroyed and refused.
    void start_all();
    // Stops and destroys the created plugins in reverse creation order, each within bound (see
    // retire_and_destroy).
    void stop_all(std::chrono::milliseconds bound_each);

    [[nodiscard]] const std::vector<PluginRecord>& records() const noexcept { return records_; }
    // The probe types of the accepted probe plugins.
    [[nodiscard]] std::set<std::string> probe_types() const;
    [[nodiscard]] std::size_t instance_count() const;
    // The created backend (the one plugins.backend chose), or none. Any thread; the plugin stays alive while
    // held.
    [[nodiscard]] std::optional<BackendHandle> active_backend() const;
    // The probe plugin handling a probe type, or none. Any thread.
    [[nodiscard]] std::optional<ProbeHandle> probe_for(const std::string& type) const;
    // Cancels a call started through a handle this manager gave; finished ids are ignored.
    void cancel_call(std::uint64_t call) const { calls_->cancel(call); }
    // Every service plugin's definitions, validated, with the id of the plugin that gave each.
    [[nodiscard]] const std::vector<std::pair<std::string, sdk::ServiceDefinition>>& service_definitions()
        const noexcept {
        return definitions_;
    }

    // Asks the service plugin plugin_id to resolve one service (envmgr_service_api.resolve) and
    // waits up to timeout. The object to merge over the definition ({} when the plugin has no
    // resolve), or why there is none.
    struct ResolveOutcome {
        bool ok = false;
        nlohmann::json patch = nlohmann::json::object();
        std::string error;
    };
    ResolveOutcome resolve_service(const std::string& plugin_id, const std::string& service,
                                   const nlohmann::json& context, std::chrono::milliseconds timeout) const;

private:
    static constexpr std::chrono::milliseconds kDefaultBound{5000};

    void refuse(std::size_t record, std::string reason);
    // Retires an instance that is no longer reachable from instances_, waits for whoever still
    // holds it (a caller in the middle of a host API call) and destroys it here, on this host
    // thread; an instance whose stop or callbacks did not end in time is abandoned instead.
    void retire_and_destroy(std::shared_ptr<PluginInstance> instance, std::chrono::milliseconds bound);
    // Removes the instance made from record (destroying it) and refuses the record.
    void drop_instance(std::size_t record, std::string reason);
    void collect_service_definitions();

    HostServices services_;
    std::shared_ptr<spdlog::logger> logger_;
    std::vector<PluginRecord> records_;
    // Parallel to records_. A library stays loaded until the manager goes, even when refused
    // after create: whatever it started (threads, posted work) must never outlive its code.
    std::vector<std::shared_ptr<PluginLibrary>> libraries_;
    // Written on the thread that owns the manager; read from any thread (active_backend).
    mutable std::shared_mutex instances_mutex_;
    std::vector<std::shared_ptr<PluginInstance>> instances_;
    std::vector<std::size_t> instance_records_;  // record index of each instance
    std::vector<std::pair<std::string, sdk::ServiceDefinition>> definitions_;
    // Every operation the host has in flight inside these plugins.
    std::shared_ptr<PluginCalls> calls_ = std::make_shared<PluginCalls>();
};

}  // namespace envmgr::host::loader
