// The env-manager.definition-hash label: a digest of a service's effective definition, so the
// lifecycle engine can tell a container made from another definition (compose's config-hash).
#pragma once

#include <envmgr/sdk/documents/service_definition.h>

#include <nlohmann/json.hpp>

#include <string>

namespace envmgr::host::registry {

// 16 hex digits of FNV-1a 64 over the document's canonical text (keys sorted, no spaces).
// Not a security digest: it only has to change when the definition does.
std::string definition_hash(const nlohmann::json& document);

// The definition as its hash reads it: fields added after 1.1 are left out while they hold their
// defaults, so a daemon that learns a field does not recreate every container it finds.
nlohmann::json hashed_definition(const sdk::ServiceDefinition& definition);

}  // namespace envmgr::host::registry
