// What --check-config says about a service's readiness probe: a probe type no plugin handles is
// an error; a TCP probe that only connects to a published port is flagged as unreliable, since
// Docker's userland proxy accepts there before the service listens (ENGINE-FACTS point 2).
#pragma once

#include <envmgr/sdk/documents/service_definition.h>

#include <set>
#include <string>
#include <vector>

namespace envmgr::host::health {

struct ProbeAdvice {
    std::vector<std::string> errors;
    std::vector<std::string> warnings;
};

// probe_address: the [health] setting (auto | container | published).
ProbeAdvice advise_probes(const sdk::ServiceDefinition& definition, const std::set<std::string>& probe_types,
                          const std::string& probe_address);

}  // namespace envmgr::host::health
