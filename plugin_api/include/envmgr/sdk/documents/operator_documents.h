// The results of the operator's manager operations (manager-operations.md): plugins.list,
// config.effective and timeline.plot; timeline.get's is in timeline_document.h.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace envmgr::sdk {

struct LoadedPlugin {
    std::string id;
    std::string kind;  // backend | service | probe | frontend
    std::string version;
    std::string abi_version;
    std::string description;
    std::string file;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(LoadedPlugin, id, kind, version, abi_version, description,
                                                file)

struct RefusedPlugin {
    std::string file;
    std::string id;  // "" when the file did not say
    std::string reason;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(RefusedPlugin, file, id, reason)

// plugins.list, as `env-manager --list-plugins --json` prints it.
struct PluginListing {
    std::string host_abi_version;
    std::vector<LoadedPlugin> plugins;
    std::vector<RefusedPlugin> refused;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(PluginListing, host_abi_version, plugins, refused)

// config.effective: one tenant of `env-manager --print-config --json`.
struct EffectiveConfig {
    std::string tenant;
    nlohmann::json config = nlohmann::json::object();  // network, volumes, services
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(EffectiveConfig, tenant, config)

// timeline.plot
struct TimelinePlot {
    std::string svg;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(TimelinePlot, svg)

}  // namespace envmgr::sdk
