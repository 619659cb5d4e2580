// One Compose service (read and merged) mapped to env-manager's service definition, with the
// place each definition field was written and a problem for everything not honoured as written.
#pragma once

#include "host/config/environment.h"
#include "host/registry/compose/compose_model.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace envmgr::host::registry::compose {

struct ComposedService {
    std::string name;
    nlohmann::json definition;                           // an sdk::ServiceDefinition document
    std::map<std::string, SourceLocation> field_places;  // "ports", "readiness", ... -> where written
    SourceLocation where;                                // the service's key
    std::vector<std::string> profiles;                   // active only when one of them is chosen
    std::set<std::string> optional_dependencies;         // depends_on ... required: false
};

struct MappingContext {
    const ComposeModel& model;
    const config::Environment& environment;  // bare names in environment:, env_file: paths
    std::string home;                        // "~" in bind mounts
};

ComposedService map_service(const ComposeService& service, const MappingContext& context,
                            std::vector<ComposeProblem>& problems);

}  // namespace envmgr::host::registry::compose
