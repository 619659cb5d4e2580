// Service addresses without the overlay network (backend.swarm's `addresses = "node"`): a
// dependency is reached at its task's node address and the port it publishes there. Pure
// functions, unit tested without a swarm.
#pragma once

#include "plugins/backends/swarm/service_mapping.h"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace envmgr::plugins::backends::swarm {

// "SERVICE:PORT" -> "NODE_ADDRESS:PUBLISHED_PORT" for every service of the list (by its
// env-manager.service label) with a running task and a port published on the node.
std::map<std::string, std::string> published_addresses(const nlohmann::json& services,
                                                       const nlohmann::json& tasks, const NodeMap& nodes);

// Each "SERVICE:PORT" of the values (a whole name: not part of a longer name or port) replaced
// by its published address; entries are "NAME=VALUE".
std::vector<std::string> env_with_addresses(const std::vector<std::string>& env,
                                            const std::map<std::string, std::string>& addresses);

}  // namespace envmgr::plugins::backends::swarm
