// The env-manager.definition-hash of every service of a tenant.
#pragma once

#include "host/registry/service_registry.h"

namespace envmgr::host::registry {

// A service's hash covers its dependencies' hashes too, so a changed dependency recreates what
// depends on it (its containers hold addresses and connections of the old one). A cycle
// (reported by the registry's dependency check) is cut where it closes.
void hash_definitions(TenantServices& tenant);

}  // namespace envmgr::host::registry
