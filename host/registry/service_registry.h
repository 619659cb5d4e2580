// The effective services of every tenant: definitions from service plugins, then the TOML
// [defaults] and [services.NAME] tables, then each tenant's own tables and names, then the
// plugins' resolve hooks; validated as a whole, every error naming tenant, service and field.
#pragma once

#include "host/config/config.h"
#include "host/config/environment.h"
#include "host/registry/registry_error.h"

#include <envmgr/sdk/documents/service_definition.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace envmgr::host::registry {

// Labels on everything env-manager creates for a service.
inline constexpr const char* kTenantLabel = "env-manager.tenant";
inline constexpr const char* kServiceLabel = "env-manager.service";
inline constexpr const char* kDefinitionHashLabel = "env-manager.definition-hash";

struct EffectiveService {
    std::string tenant;
    std::string plugin_id;              // "" : declared in TOML or a Compose file
    std::string source;                 // a Compose service's "file:line:column"; "" otherwise
    sdk::ServiceDefinition definition;  // as it will run: tenant's ports and volumes, labels
    std::string container_name;
    std::string network;
    std::string definition_hash;
};

struct TenantServices {
    std::string name;
    std::string network;
    std::vector<std::string> volumes;        // named volumes its services mount
    std::vector<EffectiveService> services;  // by name
};

struct Registry {
    std::vector<TenantServices> tenants;  // "default" first
    std::vector<RegistryError> errors;    // empty: usable
    std::vector<std::string> warnings;    // usable, but worth a look (probe advice)

    [[nodiscard]] bool ok() const noexcept { return errors.empty(); }
    [[nodiscard]] const TenantServices* tenant(const std::string& name) const;
    [[nodiscard]] const EffectiveService* find(const std::string& tenant, const std::string& service) const;
    [[nodiscard]] std::size_t service_count() const;
};

struct PluginDefinition {
    std::string plugin_id;
    sdk::ServiceDefinition definition;
};

struct ResolveAnswer {
    bool ok = false;
    nlohmann::json patch = nlohmann::json::object();  // merged over the definition
    std::string error;
};
// Calls the resolve hook of plugin_id for one service; context as service-definition.md says.
using Resolver = std::function<ResolveAnswer(const std::string& plugin_id, const std::string& service,
                                             const nlohmann::json& context)>;

struct RegistryInputs {
    std::vector<PluginDefinition> plugin_definitions;
    std::set<std::string> probe_types;   // of the loaded probe plugins
    std::string probe_address = "auto";  // [health].probe_address, for probe advice
    Resolver resolver;                   // null: no hooks run
    // Interpolates Compose files and fills bare environment names; null: the process environment.
    config::Environment compose_environment;
};

Registry build_registry(const config::Config& config, const RegistryInputs& inputs);

}  // namespace envmgr::host::registry
