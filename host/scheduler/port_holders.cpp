#include "host/scheduler/port_holders.h"

#include "host/registry/service_registry.h"

namespace envmgr::host::scheduler {
namespace {

bool any_address(const std::string& ip) {
    return ip.empty() || ip == "0.0.0.0" || ip == "::";
}

// Two bindings collide when port and protocol match and either binds every address.
bool collides(const sdk::PortMapping& wanted, const nlohmann::json& held) {
    const std::string held_ip = held.value("host_ip", "");
    return held.value("host_port", 0) == wanted.host_port &&
           held.value("protocol", "tcp") == wanted.protocol &&
           (held_ip == wanted.host_ip || any_address(held_ip) || any_address(wanted.host_ip));
}

}  // namespace

bool is_port_taken(const std::string& engine_message) {
    return engine_message.find("port is already allocated") != std::string::npos ||
           engine_message.find("address already in use") != std::string::npos;
}

std::string port_holders_text(const nlohmann::json& containers, const std::string& self_id,
                              const sdk::ServiceDefinition& definition) {
    std::string text;
    if (!containers.is_array()) return text;
    for (const auto& wanted : definition.ports) {
        if (wanted.host_port == 0) continue;
        for (const auto& container : containers) {
            if (!container.is_object() || container.value("id", "") == self_id ||
                container.value("state", "") != "running") {
                continue;
            }
            const auto ports = container.value("ports", nlohmann::json::array());
            if (std::none_of(ports.begin(), ports.end(), [&](const nlohmann::json& held) {
                    return held.is_object() && collides(wanted, held);
                })) {
                continue;
            }
            const auto labels = container.value("labels", nlohmann::json::object());
            text += "; host port " + std::to_string(wanted.host_port) +
                    " is held by env-manager's container " + container.value("name", "") + " (tenant " +
                    labels.value(registry::kTenantLabel, "?") + ", service " +
                    labels.value(registry::kServiceLabel, "?") + ")";
        }
    }
    return text;
}

}  // namespace envmgr::host::scheduler
