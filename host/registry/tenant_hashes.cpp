#include "host/registry/tenant_hashes.h"

#include "host/registry/definition_hash.h"

#include <functional>
#include <map>
#include <set>

namespace envmgr::host::registry {

void hash_definitions(TenantServices& tenant) {
    std::map<std::string, EffectiveService*> by_name;
    for (auto& service : tenant.services) by_name[service.definition.name] = &service;
    std::set<std::string> visiting;
    std::function<std::string(EffectiveService&)> hash_of = [&](EffectiveService& service) {
        if (!service.definition_hash.empty() || !visiting.insert(service.definition.name).second) {
            return service.definition_hash;
        }
        nlohmann::json dependencies = nlohmann::json::object();
        for (const auto& dependency : service.definition.depends_on) {
            const auto found = by_name.find(dependency.service);
            if (found != by_name.end()) dependencies[dependency.service] = hash_of(*found->second);
        }
        service.definition_hash = definition_hash({{"definition", hashed_definition(service.definition)},
                                                   {"container_name", service.container_name},
                                                   {"network", service.network},
                                                   {"dependencies", dependencies}});
        return service.definition_hash;
    };
    for (auto& service : tenant.services) hash_of(service);
}

}  // namespace envmgr::host::registry
