// The daemon's own metrics (README "Metrics"): read when scraped (build info, uptime, resident
// memory, open file descriptors, event-bus drops) or kept from the event bus (service states,
// health transitions, restarts, time to ready). prometheus-cpp has no process collector: /proc/self is read.
#pragma once

#include "host/events/event_bus.h"
#include "host/metrics/metrics_registry.h"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace envmgr::host::metrics {

// Adds the collectors of the process and of the bus's drops to `registry`.
void add_process_collectors(MetricsRegistry& registry, const std::string& version, events::EventBus* bus);

// Keeps service-state gauges (one series per state, 1 for the current one, as kube-state-metrics
// does), active_services, health transitions and restarts from the bus's `status` and `health`
// topics. Unsubscribes when destroyed.
class StatusMetrics {
public:
    StatusMetrics(MetricsRegistry& registry, events::EventBus& bus);
    StatusMetrics(const StatusMetrics&) = delete;
    StatusMetrics& operator=(const StatusMetrics&) = delete;
    ~StatusMetrics();

    // A service known before any event (the configured ones, stopped): its series exist from the start.
    void known(const std::string& tenant, const std::string& service, const std::string& state);

private:
    void on_status(const std::string& tenant, const std::string& service, const std::string& state,
                   const std::string& message);
    void on_health(const std::string& tenant, const std::string& service, const std::string& transition);
    // A finished start run (topic `timeline`): each service's time to ready into the histogram.
    void on_timeline(const std::string& run_json);

    MetricsRegistry& registry_;
    events::EventBus& bus_;
    std::uint64_t subscription_ = 0;
    std::mutex mutex_;
    std::map<std::pair<std::string, std::string>, std::string> states_;  // (tenant, service) -> state
};

}  // namespace envmgr::host::metrics
