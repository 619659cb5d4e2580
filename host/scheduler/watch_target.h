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

// What a service waits for while it is not ready yet, for its status message: "http GET
// :8080/health", "tcp :6379", "exec redis-cli ping"; "" : no probe (ready once it runs).
std::string pending_probe(const sdk::ProbeSpec& readiness);

}  // namespace envmgr::host::scheduler
