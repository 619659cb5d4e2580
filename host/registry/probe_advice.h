// What --check-config warns about a service's readiness probe: a TCP probe that only connects
// to a published port is unreliable, since Docker's userland proxy accepts there before the
// service listens. (A probe type no plugin handles is a registry error.)
#pragma once

#include <envmgr/sdk/documents/service_definition.h>

#include <string>
#include <vector>

namespace envmgr::host::registry {

// probe_address: the [health] setting (auto | container | published).
std::vector<std::string> probe_warnings(const sdk::ServiceDefinition& definition,
                                        const std::string& probe_address);

}  // namespace envmgr::host::registry
