// Who holds a host port a service asks for: when the engine refuses a start because a port is
// taken and the holder is one of env-manager's own containers (of another tenant, an orphan, or
// one made from an older configuration), the error names it.
#pragma once

#include <envmgr/sdk/documents/container_document.h>
#include <envmgr/sdk/documents/service_definition.h>

#include <string>
#include <vector>

namespace envmgr::host::scheduler {

// Whether the engine's message says a host port is taken: by the engine's own port book
// (is_port_booked, "port is already allocated"), or by another process on the host.
bool is_port_taken(const std::string& engine_message);
bool is_port_booked(const std::string& engine_message);

// "; host port 6379 is held by env-manager's container blue-redis (tenant blue, service redis)"
// for each of the definition's host ports that a listed running container other than self_id
// publishes; "" when none does (the holder is not env-manager's). containers: container.list's.
std::string port_holders_text(const std::vector<sdk::ContainerDocument>& containers,
                              const std::string& self_id, const sdk::ServiceDefinition& definition);

}  // namespace envmgr::host::scheduler
