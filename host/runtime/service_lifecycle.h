// The daemon's part in the services' lives: its settings for the lifecycle engine, adopting
// what runs at start-up, and stopping the services at shutdown.
#pragma once

#include "host/config/config.h"
#include "host/registry/service_registry.h"
#include "host/scheduler/lifecycle_engine.h"

#include <spdlog/logger.h>

namespace envmgr::host::runtime {

scheduler::EngineSettings engine_settings(const config::Config& config);

// Lists the containers env-manager made and watches the running ones again; waits for the list
// (at most 10 s) and logs what it found.
void adopt_running(scheduler::LifecycleEngine& engine, spdlog::logger& logger);

// Stops every service of every tenant, dependents first, within budget in all.
void stop_all_services(scheduler::LifecycleEngine& engine, const registry::Registry& registry,
                       std::chrono::seconds budget, spdlog::logger& logger);

}  // namespace envmgr::host::runtime
