#include "host/loader/plugin_info.h"

namespace envmgr::host::loader {

std::string_view kind_name(envmgr_plugin_kind kind) {
    switch (kind) {
        case ENVMGR_PLUGIN_KIND_SERVICE: return "service";
        case ENVMGR_PLUGIN_KIND_PROBE: return "probe";
        case ENVMGR_PLUGIN_KIND_BACKEND: return "backend";
        case ENVMGR_PLUGIN_KIND_FRONTEND: return "frontend";
    }
    return "unknown";
}

}  // namespace envmgr::host::loader
