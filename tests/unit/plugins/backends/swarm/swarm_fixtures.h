// A swarm's own answers, recorded on the test-bed (testbed.sh swarm up 3) with the default stack
// running and node envmgr-swarm-3 just killed: Swarm had marked it down and env-manager had
// started redb and the router again on the other nodes.
#pragma once

#include <nlohmann/json.hpp>

#include <fstream>
#include <string>

namespace envmgr::plugins::backends::swarm::testing {

inline nlohmann::json swarm_fixture(const std::string& name) {
    std::ifstream file(std::string(ENVMGR_SWARM_FIXTURE_DIR) + "/" + name + "-node3-down.json");
    return nlohmann::json::parse(file);
}

inline const nlohmann::json& service_named(const nlohmann::json& services, const std::string& name) {
    for (const auto& service : services) {
        if (service["Spec"]["Name"] == name) return service;
    }
    throw std::runtime_error("no service " + name + " in the fixture");
}

}  // namespace envmgr::plugins::backends::swarm::testing
