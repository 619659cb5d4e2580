// The service registry built from the running plugins: their definitions, their probe types and
// their resolve hooks. Shared by the daemon, --check-config and --print-config.
#pragma once

#include "host/config/config.h"
#include "host/loader/plugin_manager.h"
#include "host/registry/service_registry.h"

namespace envmgr::host::runtime {

registry::Registry registry_from_plugins(const config::Config& config, const loader::PluginManager& manager);

}  // namespace envmgr::host::runtime
