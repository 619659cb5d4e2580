// Applies one TOML service table ([services.NAME] or [tenants.T.services.NAME]) to a service
// definition document: only the keys given change. Every key is checked for its type here, so
// a problem names the key and the line it was written on.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace envmgr::host::registry {

struct TableProblem {
    std::string field;  // "ports[1]", "readiness.timeout_ms", ...
    std::string message;
    std::string config_path;  // "services.redis.ports[1]": where in the file (Config::service_origins)
};

struct TableOutcome {
    std::optional<bool> enabled;  // set when the table says enabled = true/false
    bool ports_given = false;     // the table set ports (a tenant's port_offset then leaves them)
};

// definition: a complete service-definition document (service-definition.md). table_path:
// "services.redis". field_paths receives, per field written, its config path, so a later
// validation error on that field points at the file.
TableOutcome apply_service_table(nlohmann::json& definition, const nlohmann::json& table,
                                 const std::string& table_path, std::vector<TableProblem>& problems,
                                 std::map<std::string, std::string>& field_paths);

// The keys a service table may hold, for documentation and suggestions.
const std::vector<std::string>& service_table_keys();

}  // namespace envmgr::host::registry
