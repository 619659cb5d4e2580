#include "host/registry/probe_advice.h"

namespace envmgr::host::registry {

std::vector<std::string> probe_warnings(const sdk::ServiceDefinition& definition,
                                        const std::string& probe_address) {
    std::vector<std::string> warnings;
    const auto& probe = definition.readiness;
    const std::string mode = probe.target.empty() || probe.target == "auto" ? probe_address : probe.target;
    if (probe.type == "tcp" && probe.send.empty() && probe.expect.empty() && mode == "published") {
        warnings.push_back(
            "service '" + definition.name +
            "': a tcp readiness probe without send/expect against a published port is unreliable: Docker's "
            "userland proxy accepts connections there before the service listens; give it send and expect "
            "(Redis: PING, +PONG) or probe the container's own address (target = \"container\")");
    }
    return warnings;
}

}  // namespace envmgr::host::registry
