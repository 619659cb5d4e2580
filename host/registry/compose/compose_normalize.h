// One form for a Compose service whatever syntax the file used, and the merge of one service
// over another (a later file over an earlier one, a service over the one it extends).
#pragma once

#include "host/registry/compose/compose_model.h"

#include <vector>

namespace envmgr::host::registry::compose {

// Brings service.config to the form ComposeService describes; problems name the key's place.
void normalize_service(ComposeService& service, std::vector<ComposeProblem>& problems);

// Merges override over base as Compose does: environment, labels, depends_on, healthcheck,
// deploy, logging, ulimits, sysctls and build merge key by key; ports, expose, cap_add,
// cap_drop, dns, security_opt, tmpfs, env_file, extra_hosts and devices keep both lists'
// entries once; volumes merge by container path; anything else is replaced.
void merge_service(ComposeService& base, const ComposeService& override_with);

}  // namespace envmgr::host::registry::compose
