// [defaults] and [tenants.NAME], read and checked: what applies to every service, and what
// makes each tenant an isolated copy of the stack.
#pragma once

#include "host/registry/service_table.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace envmgr::host::registry {

inline constexpr const char* kDefaultTenant = "default";

struct Defaults {
    std::string network = "env-manager-{tenant}";         // {tenant} is replaced by the tenant's name
    std::string host_ip = "127.0.0.1";                    // for published ports that name no address
    std::optional<std::string> restart_policy;            // set: replaces every service's own
    nlohmann::json readiness = nlohmann::json::object();  // probe timings for every service
};

struct TenantSettings {
    std::string name;
    int port_offset = 0;                                 // added to every published host port not set here
    std::string network;                                 // "" : from the [defaults] pattern
    std::string host_ip;                                 // "" : [defaults].host_ip
    nlohmann::json services = nlohmann::json::object();  // [tenants.NAME.services.SERVICE] tables
    std::vector<std::string> compose;                    // Compose files, merged in this order
    std::vector<std::string> compose_profiles;           // Compose profiles chosen
    bool plugin_services = true;                         // false: only Compose and TOML services
};

// Problems carry their config path ("defaults.host_ip", "tenants.blue.port_offset").
Defaults read_defaults(const nlohmann::json& table, std::vector<TableProblem>& problems);

// The default tenant first (it exists without configuration), then the others by name.
std::vector<TenantSettings> read_tenants(const nlohmann::json& table, std::vector<TableProblem>& problems);

// Container name, network and volume names of a service in a tenant: the default tenant keeps
// the plain names of the seed; another tenant prefixes them ("blue-redis", "blue_redis_data").
std::string container_name(const std::string& tenant, const std::string& service);
std::string volume_name(const std::string& tenant, const std::string& volume);
std::string network_name(const Defaults& defaults, const TenantSettings& tenant);

// The probe timing keys [defaults.readiness] may set.
const std::vector<std::string>& readiness_timing_keys();

}  // namespace envmgr::host::registry
