#include "host/scheduler/notable_events.h"

#include <nlohmann/json.hpp>

#include <chrono>

namespace envmgr::host::scheduler {

void publish_notable(spdlog::logger& logger, events::EventBus* bus, const std::string& level,
                     const std::pair<std::string, std::string>& tenant_service, const std::string& message) {
    const auto& [tenant, service] = tenant_service;
    const auto spd_level = level == "error"  ? spdlog::level::err
                           : level == "warn" ? spdlog::level::warn
                                             : spdlog::level::info;
    logger.log(spd_level, "{}/{}: {}", tenant, service, message);
    if (bus == nullptr) return;
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    bus->publish("log", nlohmann::json{{"level", level},
                                       {"tenant", tenant},
                                       {"service", service},
                                       {"message", message},
                                       {"timestamp_ms",
                                        std::chrono::duration_cast<std::chrono::milliseconds>(now).count()}}
                            .dump());
}

}  // namespace envmgr::host::scheduler
