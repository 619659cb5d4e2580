#include "host/loader/backend_choice.h"

namespace envmgr::host::loader {
namespace {

constexpr const char* kDefaultBackend = "backend.docker";

bool is_backend(const PluginRecord& record) {
    return record.accepted() && record.info && record.info->kind == ENVMGR_PLUGIN_KIND_BACKEND;
}

}  // namespace

BackendChoice choose_backend(const std::vector<PluginRecord>& records, const std::string& chosen) {
    std::vector<std::size_t> backends;
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (is_backend(records[i])) backends.push_back(i);
    }
    const std::string wanted = chosen.empty() ? kDefaultBackend : chosen;
    for (const auto i : backends) {
        if (records[i].info->id == wanted) return {i, ""};
    }
    if (chosen.empty()) {
        return backends.empty() ? BackendChoice{} : BackendChoice{backends.front(), ""};
    }
    for (const auto& record : records) {
        if (!record.accepted() && record.info && record.info->id == chosen) {
            return {std::nullopt,
                    "plugins.backend: the backend plugin '" + chosen + "' was refused: " + record.refusal};
        }
    }
    std::string found;
    for (const auto i : backends) found += (found.empty() ? "" : ", ") + records[i].info->id;
    return {std::nullopt, "plugins.backend: no backend plugin '" + chosen +
                              "' was found in the plugin path (" +
                              (found.empty() ? "no backend was found" : "found: " + found) + ")"};
}

}  // namespace envmgr::host::loader
