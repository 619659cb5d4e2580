#include "host/health/probe_advice.h"

namespace envmgr::host::health {

ProbeAdvice advise_probes(const sdk::ServiceDefinition& definition, const std::set<std::string>& probe_types,
                          const std::string& probe_address) {
    ProbeAdvice advice;
    const auto& probe = definition.readiness;
    if (probe.type.empty()) return advice;
    const std::string where = "service '" + definition.name + "': readiness.type '" + probe.type + "'";
    if (!probe_types.contains(probe.type)) {
        std::string known;
        for (const auto& type : probe_types) known += (known.empty() ? "" : ", ") + type;
        advice.errors.push_back(
            where + ": no probe plugin handles it (loaded: " + (known.empty() ? "none" : known) + ")");
    }
    const std::string mode = probe.target.empty() || probe.target == "auto" ? probe_address : probe.target;
    if (probe.type == "tcp" && probe.send.empty() && probe.expect.empty() && mode == "published") {
        advice.warnings.push_back(
            "service '" + definition.name +
            "': a tcp readiness probe without send/expect against a published port is unreliable: Docker's "
            "userland proxy accepts connections there before the service listens; give it send and expect "
            "(Redis: PING, +PONG) or probe the container's own address (target = \"container\")");
    }
    return advice;
}

}  // namespace envmgr::host::health
