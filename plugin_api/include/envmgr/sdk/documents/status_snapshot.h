// Status snapshot: the state of every service instance (plugin_api/docs/status-snapshot.md).
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace envmgr::sdk {

struct ResourceUsage {
    double cpu_percent = 0.0;
    std::int64_t memory_bytes = 0;
    std::int64_t network_rx_bytes = 0;
    std::int64_t network_tx_bytes = 0;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ResourceUsage, cpu_percent, memory_bytes, network_rx_bytes,
                                                network_tx_bytes)

struct ServiceStatus {
    std::string name;
    std::string tenant = "default";
    // pulling | creating | starting | waiting-healthy | healthy | unhealthy | restarting |
    // stopping | stopped | failed
    std::string state = "stopped";
    bool healthy = false;
    std::string container_id;
    std::vector<int> ports;       // published host ports
    std::int64_t started_at = 0;  // unix seconds; 0: not running
    std::string message;
    std::map<std::string, std::string> health_checks;  // check name -> last result text
    int restart_count = 0;                             // restarts since the service last ran stably
    std::int64_t next_restart_at = 0;                  // unix seconds of the pending restart; 0: none
    ResourceUsage resource_usage;
    std::string node;  // the machine that runs it (a backend that places on several); "" on one engine
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(ServiceStatus, name, tenant, state, healthy, container_id,
                                                ports, started_at, message, health_checks, restart_count,
                                                next_restart_at, resource_usage, node)

struct StatusSnapshot {
    std::int64_t timestamp = 0;  // unix seconds when taken
    std::vector<ServiceStatus> services;
};
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(StatusSnapshot, timestamp, services)

}  // namespace envmgr::sdk
