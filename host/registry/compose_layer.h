// A tenant's Compose files as a layer of the registry: the services they define (as definition
// documents with the place each field was written), the project's network and exact volume
// names, and every problem as a registry error or warning.
#pragma once

#include "host/config/environment.h"
#include "host/registry/registry_error.h"
#include "host/registry/tenant_settings.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace envmgr::host::registry {

struct ComposeDraft {
    std::string name;
    nlohmann::json document;                    // an sdk::ServiceDefinition
    std::map<std::string, std::string> places;  // definition field -> "file:line:column"
    std::string origin;                         // the service's own "file:line:column"
};

struct ComposeLayer {
    std::vector<ComposeDraft> services;
    std::optional<std::string> network;
    std::set<std::string> exact_volumes;
    std::vector<RegistryError> errors;
    std::vector<std::string> warnings;
};

// Relative paths in tenant.compose are taken from config_file's folder (or the working folder
// when no file was read).
ComposeLayer compose_layer(const TenantSettings& tenant, const std::string& config_file,
                           const config::Environment& environment);

}  // namespace envmgr::host::registry
