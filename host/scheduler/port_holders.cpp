#include "host/scheduler/port_holders.h"

#include "host/registry/service_registry.h"

namespace envmgr::host::scheduler {
namespace {

bool any_address(const std::string& ip) {
    return ip.empty() || ip == "0.0.0.0" || ip == "::";
}

// Two bindings collide when port and protocol match and either binds every address.
bool collides(const sdk::PortMapping& wanted, const sdk::ContainerPort& held) {
    return held.host_port == wanted.host_port && held.protocol == wanted.protocol &&
           (held.host_ip == wanted.host_ip || any_address(held.host_ip) || any_address(wanted.host_ip));
}

}  // namespace

bool is_port_booked(const std::string& engine_message) {
    return engine_message.find("port is already allocated") != std::string::npos;
}

bool is_port_taken(const std::string& engine_message) {
    return is_port_booked(engine_message) ||
           engine_message.find("address already in use") != std::string::npos;
}

std::string port_holders_text(const std::vector<sdk::ContainerDocument>& containers,
                              const std::string& self_id, const sdk::ServiceDefinition& definition) {
    std::string text;
    for (const auto& wanted : definition.ports) {
        if (wanted.host_port == 0) continue;
        for (const auto& container : containers) {
            if (container.id == self_id || container.state != "running") continue;
            if (std::none_of(container.ports.begin(), container.ports.end(),
                             [&](const sdk::ContainerPort& held) { return collides(wanted, held); })) {
                continue;
            }
            text += "; host port " + std::to_string(wanted.host_port) +
                    " is held by env-manager's container " + container.name + " (tenant " +
                    container.label(registry::kTenantLabel, "?") + ", service " +
                    container.label(registry::kServiceLabel, "?") + ")";
        }
    }
    return text;
}

}  // namespace envmgr::host::scheduler
