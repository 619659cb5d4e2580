// A plugin library that loaded and passed every ABI check. It is never unloaded while an
// instance made from it exists: instances hold it by shared_ptr.
#pragma once

#include "host/loader/plugin_info.h"

#include <envmgr/abi.h>

#include <boost/dll/shared_library.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace envmgr::host::loader {

class PluginLibrary {
public:
    PluginLibrary(boost::dll::shared_library library, const envmgr_plugin_descriptor& descriptor,
                  PluginInfo info);

    [[nodiscard]] const PluginInfo& info() const noexcept { return info_; }
    [[nodiscard]] const envmgr_plugin_descriptor& descriptor() const noexcept { return descriptor_; }
    [[nodiscard]] const char* config_schema() const noexcept { return descriptor_.config_schema_json; }

    // The per-kind tables, each read at the host's size; zeroed unless the kind matches.
    envmgr_service_api service_api{};
    envmgr_probe_api probe_api{};
    envmgr_backend_api backend_api{};
    envmgr_frontend_api frontend_api{};

private:
    boost::dll::shared_library library_;
    envmgr_plugin_descriptor descriptor_;
    PluginInfo info_;
};

// Loads and checks one file. On refusal, library is null and reason says why, precisely.
struct LoadOutcome {
    std::shared_ptr<PluginLibrary> library;
    std::string reason;
};

// host_minor: the ABI minor this host offers (tests lower it to check the gate both ways).
LoadOutcome load_plugin_library(const std::filesystem::path& file,
                                std::uint16_t host_minor = ENVMGR_ABI_VERSION_MINOR);

}  // namespace envmgr::host::loader
