// What the host knows about a plugin library, for the start-up log and --list-plugins.
#pragma once

#include <envmgr/abi.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace envmgr::host::loader {

struct PluginInfo {
    std::string id;
    envmgr_plugin_kind kind = ENVMGR_PLUGIN_KIND_SERVICE;
    std::string version;
    std::string description;
    std::uint16_t abi_major = 0;
    std::uint16_t abi_minor = 0;
    std::string file;
};

std::string_view kind_name(envmgr_plugin_kind kind);

}  // namespace envmgr::host::loader
