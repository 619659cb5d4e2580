// What the health supervisor watches of a running container, from the engine's inspect
// document: where its probes reach it (its address on the service's network, the ports it
// publishes), when this run started, and the service's readiness probe. Pure.
#pragma once

#include "host/health/health_types.h"
#include "host/scheduler/engine_core.h"

#include <envmgr/sdk/documents/container_document.h>

namespace envmgr::host::scheduler {

health::WatchTarget watch_target_of(const InstanceKey& key, const Instance& running,
                                    const sdk::ContainerDocument& inspected);

}  // namespace envmgr::host::scheduler
