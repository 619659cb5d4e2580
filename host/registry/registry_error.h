// One problem with the effective service definitions: which tenant, which service, which field,
// and where it was written.
#pragma once

#include <string>

namespace envmgr::host::registry {

struct RegistryError {
    std::string tenant;   // "" : not about one tenant (e.g. [defaults])
    std::string service;  // "" : about the tenant itself
    std::string field;    // "image", "ports[0].host_port", "depends_on", ...
    std::string message;
    std::string origin;  // "file:line:column", or "plugin service.redis"

    // "env-manager.toml:12:3: tenant 'default', service 'redis', field 'image': message"
    [[nodiscard]] std::string to_string() const;
};

}  // namespace envmgr::host::registry
