// What the backend is asked to create for one effective service: names, network and alias,
// labels, ports, mounts, resources, GPUs. Pure.
#pragma once

#include "host/registry/service_registry.h"

#include <envmgr/sdk/documents/container_spec.h>

namespace envmgr::host::scheduler {

// The engine's own restart policy stays "no": env-manager carries out restarts itself, so
// there is one owner of a container's life. gpu "required" asks for every GPU; "optional" that
// no hook decided stays without (the service plugin that wants GPUs looks for them).
sdk::ContainerSpec container_spec_for(const registry::EffectiveService& service);

}  // namespace envmgr::host::scheduler
