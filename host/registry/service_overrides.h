// Per-request overrides of a start (StartServices' `overrides`, manager operation services.start):
// "SERVICE.image", "SERVICE.env.NAME", "SERVICE.command" applied to copies of the tenant's
// effective services, each with its own definition hash (so the engine recreates what they
// change and nothing else).
#pragma once

#include "host/registry/service_registry.h"

#include <map>
#include <memory>
#include <string>

namespace envmgr::host::registry {

struct ServiceOverrides {
    std::map<std::string, std::shared_ptr<const EffectiveService>> services;  // by service name
    std::string error;  // "overrides[KEY]: why", "" when usable
};

ServiceOverrides apply_overrides(const Registry& registry, const std::string& tenant,
                                 const std::map<std::string, std::string>& overrides);

}  // namespace envmgr::host::registry
