#include "host/registry/tenant_settings.h"

#include "host/config/suggestion.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <optional>

namespace envmgr::host::registry {
namespace {

bool is_ip_address(const std::string& text) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 || inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

// Names that end up in container, network and volume names: Docker's own alphabet.
bool is_valid_tenant_name(const std::string& name) {
    if (name.empty() || name.size() > 32 || std::isalnum(static_cast<unsigned char>(name.front())) == 0) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (std::isalnum(static_cast<unsigned char>(c)) != 0 &&
                std::isupper(static_cast<unsigned char>(c)) == 0) ||
               c == '-' || c == '_';
    });
}

void unknown(std::vector<TableProblem>& problems, const std::string& path, const std::string& key,
             const std::vector<std::string>& known) {
    const auto best = config::closest_name(key, known);
    problems.push_back({key,
                        "unknown key" + (best.empty() ? std::string() : " (did you mean '" + best + "'?)"),
                        path + "." + key});
}

std::optional<std::vector<std::string>> string_list(const nlohmann::json& value) {
    if (!value.is_array()) return std::nullopt;
    std::vector<std::string> list;
    for (const auto& item : value) {
        if (!item.is_string() || item.get<std::string>().empty()) return std::nullopt;
        list.push_back(item.get<std::string>());
    }
    return list;
}

void read_tenant_key(TenantSettings& tenant, const std::string& key, const nlohmann::json& value,
                     const std::string& path, std::vector<TableProblem>& problems) {
    static const std::vector<std::string> known{
        "port_offset", "network", "host_ip", "services", "compose", "compose_profiles", "plugin_services"};
    const std::string where = path + "." + key;
    if (key == "port_offset") {
        if (!value.is_number_integer() || value.get<std::int64_t>() < 0 ||
            value.get<std::int64_t>() > 65535) {
            problems.push_back({key, "expected an integer 0..65535", where});
        } else {
            tenant.port_offset = value.get<int>();
        }
    } else if (key == "network") {
        if (!value.is_string() || value.get<std::string>().empty()) {
            problems.push_back({key, "expected a network name", where});
        } else {
            tenant.network = value;
        }
    } else if (key == "host_ip") {
        if (!value.is_string() || !is_ip_address(value.get<std::string>())) {
            problems.push_back({key, "expected an IPv4 or IPv6 address", where});
        } else {
            tenant.host_ip = value;
        }
    } else if (key == "services") {
        if (!value.is_object()) {
            problems.push_back({key, "expected a table of service tables", where});
        } else {
            tenant.services = value;
        }
    } else if (key == "compose" || key == "compose_profiles") {
        const auto list = string_list(value);
        if (!list) {
            problems.push_back({key,
                                key == "compose" ? "expected a list of Compose file paths"
                                                 : "expected a list of profile names",
                                where});
        } else {
            (key == "compose" ? tenant.compose : tenant.compose_profiles) = *list;
        }
    } else if (key == "plugin_services") {
        if (!value.is_boolean()) {
            problems.push_back({key, "expected true or false", where});
        } else {
            tenant.plugin_services = value.get<bool>();
        }
    } else {
        unknown(problems, path, key, known);
    }
}

}  // namespace

const std::vector<std::string>& readiness_timing_keys() {
    static const std::vector<std::string> keys{"initial_delay_ms",  "interval_ms",       "timeout_ms",
                                               "success_threshold", "failure_threshold", "start_period_ms"};
    return keys;
}

Defaults read_defaults(const nlohmann::json& table, std::vector<TableProblem>& problems) {
    Defaults defaults;
    static const std::vector<std::string> known{"network", "host_ip", "restart_policy", "readiness"};
    for (const auto& [key, value] : table.items()) {
        const std::string path = "defaults." + key;
        if (key == "network") {
            if (!value.is_string() || value.get<std::string>().find("{tenant}") == std::string::npos) {
                problems.push_back(
                    {key, R"(expected a name pattern holding {tenant}, e.g. "env-manager-{tenant}")", path});
            } else {
                defaults.network = value;
            }
        } else if (key == "host_ip") {
            if (!value.is_string() || !is_ip_address(value.get<std::string>())) {
                problems.push_back(
                    {key, R"(expected an IPv4 or IPv6 address, e.g. "127.0.0.1" or "0.0.0.0")", path});
            } else {
                defaults.host_ip = value;
            }
        } else if (key == "restart_policy") {
            static const std::vector<std::string> policies{"no", "always", "unless-stopped", "on-failure"};
            if (!value.is_string() ||
                std::find(policies.begin(), policies.end(), value.get<std::string>()) == policies.end()) {
                problems.push_back({key, "must be no, always, unless-stopped or on-failure", path});
            } else {
                defaults.restart_policy = value.get<std::string>();
            }
        } else if (key == "readiness") {
            if (!value.is_object()) {
                problems.push_back({key, "expected a table of probe timings", path});
                continue;
            }
            for (const auto& [name, timing] : value.items()) {
                const auto& timings = readiness_timing_keys();
                if (std::find(timings.begin(), timings.end(), name) == timings.end()) {
                    unknown(problems, path, name, timings);
                } else if (!timing.is_number_integer() || timing.get<std::int64_t>() < 0) {
                    problems.push_back({"readiness." + name, "expected an integer >= 0", path + "." + name});
                } else {
                    defaults.readiness[name] = timing;
                }
            }
        } else {
            unknown(problems, "defaults", key, known);
        }
    }
    return defaults;
}

std::vector<TenantSettings> read_tenants(const nlohmann::json& table, std::vector<TableProblem>& problems) {
    std::vector<TenantSettings> tenants(1);
    tenants.front().name = kDefaultTenant;
    for (const auto& [name, settings] : table.items()) {
        const std::string path = "tenants." + name;
        if (!is_valid_tenant_name(name)) {
            problems.push_back(
                {"",
                 "a tenant name is 1 to 32 lowercase letters, digits, '-' or '_', starting with "
                 "a letter or digit",
                 path});
            continue;
        }
        if (!settings.is_object()) {
            problems.push_back({"", "expected a table", path});
            continue;
        }
        TenantSettings* tenant = nullptr;
        if (name == kDefaultTenant) {
            tenant = &tenants.front();
        } else {
            tenant = &tenants.emplace_back();
            tenant->name = name;
        }
        for (const auto& [key, value] : settings.items()) {
            read_tenant_key(*tenant, key, value, path, problems);
        }
    }
    return tenants;
}

std::string container_name(const std::string& tenant, const std::string& service) {
    return tenant == kDefaultTenant ? service : tenant + "-" + service;
}

std::string volume_name(const std::string& tenant, const std::string& volume) {
    return tenant == kDefaultTenant ? volume : tenant + "_" + volume;
}

std::string network_name(const Defaults& defaults, const TenantSettings& tenant) {
    if (!tenant.network.empty()) return tenant.network;
    std::string name = defaults.network;
    for (auto at = name.find("{tenant}"); at != std::string::npos; at = name.find("{tenant}", at)) {
        name.replace(at, 8, tenant.name);
        at += tenant.name.size();
    }
    return name;
}

}  // namespace envmgr::host::registry
