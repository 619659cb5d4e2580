// --print-config: the effective services of every tenant, as TOML or JSON, so an operator sees
// exactly what will run. Environment values whose names say they are secrets are masked.
#pragma once

#include "host/registry/service_registry.h"

#include <nlohmann/json.hpp>

#include <string>

namespace envmgr::host::registry {

inline constexpr const char* kMasked = "********";

// PASSWORD, SECRET, TOKEN, CREDENTIAL, API_KEY, PRIVATE_KEY, or a name ending in _KEY.
bool looks_secret(const std::string& env_name);

// {"tenants": {"NAME": {"network", "volumes", "services": {"SERVICE": {container_name,
// definition_hash, plugin, ...the definition's fields}}}}}
nlohmann::json registry_document(const Registry& registry);

std::string registry_json(const Registry& registry);
std::string registry_toml(const Registry& registry);

}  // namespace envmgr::host::registry
