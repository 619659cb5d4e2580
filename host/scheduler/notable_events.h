// A notable event of the host about one service (a restart, a give-up): logged at its level and
// published on the bus's `log` topic (plugin_api/docs/events.md).
#pragma once

#include "host/events/event_bus.h"

#include <spdlog/logger.h>

#include <string>
#include <utility>

namespace envmgr::host::scheduler {

// level: error, warn or info. bus may be null (logged only).
void publish_notable(spdlog::logger& logger, events::EventBus* bus, const std::string& level,
                     const std::pair<std::string, std::string>& tenant_service, const std::string& message);

}  // namespace envmgr::host::scheduler
