// The env-manager.definition-hash label: a digest of a service's effective definition, so the
// lifecycle engine can tell a container made from another definition (compose's config-hash).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace envmgr::host::registry {

// 16 hex digits of FNV-1a 64 over the document's canonical text (keys sorted, no spaces).
// Not a security digest: it only has to change when the definition does.
std::string definition_hash(const nlohmann::json& document);

}  // namespace envmgr::host::registry
