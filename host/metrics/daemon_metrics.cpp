#include "host/metrics/daemon_metrics.h"

#include "host/model/service_state.h"

#include <envmgr/sdk/documents/timeline_document.h>

#include <nlohmann/json.hpp>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

namespace envmgr::host::metrics {
namespace {

double resident_bytes() {
    // statm's second field is resident pages: one short line, cheaper than parsing status.
    std::ifstream statm("/proc/self/statm");
    double size = 0;
    double resident = 0;
    statm >> size >> resident;
    return resident * static_cast<double>(sysconf(_SC_PAGESIZE));
}

double open_fds() {
    // Since Linux 6.2 the size of /proc/self/fd is the number of open descriptors: one stat,
    // where reading the directory costs a kernel lookup per descriptor (most of a scrape's CPU
    // with a few hundred connections open).
    struct stat fd_dir {};
    if (::stat("/proc/self/fd", &fd_dir) == 0 && fd_dir.st_size > 0) {
        return static_cast<double>(fd_dir.st_size);
    }
    DIR* dir = ::opendir("/proc/self/fd");
    if (dir == nullptr) return 0;
    double count = 0;
    while (const dirent* entry = ::readdir(dir)) {
        count += entry->d_name[0] == '.' ? 0 : 1;
    }
    ::closedir(dir);
    return count > 0 ? count - 1 : 0;  // the directory's own descriptor is not the daemon's
}

}  // namespace

void add_process_collectors(MetricsRegistry& registry, const std::string& version, events::EventBus* bus) {
    const auto started = std::chrono::steady_clock::now();
    const auto started_unix =
        std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    registry.record(ENVMGR_METRIC_KIND_GAUGE_SET, "envmgr_build_info", "env-manager's version; always 1",
                    {{"version", version}}, 1);
    registry.record(ENVMGR_METRIC_KIND_GAUGE_SET, "process_start_time_seconds",
                    "Start time of the process since the unix epoch in seconds", {}, started_unix);
    auto dropped_seen = std::make_shared<std::map<std::string, std::uint64_t>>();
    registry.add_collector([started, bus, dropped_seen](MetricsRegistry& target) {
        target.record(ENVMGR_METRIC_KIND_GAUGE_SET, "envmgr_uptime_seconds",
                      "Seconds since the daemon started", {},
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
        target.record(ENVMGR_METRIC_KIND_GAUGE_SET, "process_resident_memory_bytes",
                      "Resident memory size in bytes", {}, resident_bytes());
        target.record(ENVMGR_METRIC_KIND_GAUGE_SET, "process_open_fds", "Number of open file descriptors", {},
                      open_fds());
        if (bus == nullptr) return;
        // Read when scraped, so it is there from the first scrape and counts the core's
        // subscriptions as well as the plugins' (a frontend whose streams end but whose
        // subscriptions do not would show here).
        target.record(ENVMGR_METRIC_KIND_GAUGE_SET, "event_bus_subscriptions",
                      "Subscriptions to the event bus, the plugins' and the core's", {},
                      static_cast<double>(bus->subscription_count()));
        // The bus counts drops since it was made; the counter takes what is new.
        for (const auto& [topic, total] : bus->dropped_by_topic()) {
            auto& seen = (*dropped_seen)[topic];
            target.record(ENVMGR_METRIC_KIND_COUNTER_ADD, "event_bus_dropped_events_total",
                          "Events the event bus dropped for slow subscribers, by topic", {{"topic", topic}},
                          static_cast<double>(total - seen));
            seen = total;
        }
    });
}

StatusMetrics::StatusMetrics(MetricsRegistry& registry, events::EventBus& bus)
    : registry_(registry), bus_(bus) {
    registry_.record(ENVMGR_METRIC_KIND_GAUGE_SET, "active_services",
                     "Service instances whose container runs", {}, 0);
    subscription_ = bus_.subscribe({.topic_prefix = "", .queue_depth = 0, .report_dropped = false},
                                   [this](const std::string& topic, const std::string& event_json) {
                                       if (topic == "timeline") return on_timeline(event_json);
                                       if (topic != "status" && topic != "health") return;
                                       const auto event = nlohmann::json::parse(event_json, nullptr, false);
                                       if (!event.is_object()) return;
                                       const std::string tenant = event.value("tenant", "");
                                       const std::string service = event.value("service", "");
                                       if (topic == "status") {
                                           on_status(tenant, service, event.value("state", ""),
                                                     event.value("message", ""));
                                       } else {
                                           on_health(tenant, service, event.value("transition", ""));
                                       }
                                   });
}

StatusMetrics::~StatusMetrics() {
    bus_.unsubscribe(subscription_);
}

void StatusMetrics::known(const std::string& tenant, const std::string& service, const std::string& state) {
    on_status(tenant, service, state, "");
}

void StatusMetrics::on_status(const std::string& tenant, const std::string& service, const std::string& state,
                              const std::string& message) {
    const std::lock_guard lock(mutex_);
    auto& current = states_[{tenant, service}];
    const std::string previous = current;
    current = state;
    for (const auto each : model::kServiceStates) {
        const std::string name(model::state_name(each));
        registry_.record(ENVMGR_METRIC_KIND_GAUGE_SET, "envmgr_service_state",
                         "The state of each service instance: 1 for its current state, 0 for the others",
                         {{"tenant", tenant}, {"service", service}, {"state", name}}, state == name ? 1 : 0);
    }
    if (state == "restarting" && previous != "restarting") {
        const bool unhealthy = message.find("unhealthy") != std::string::npos;
        registry_.record(
            ENVMGR_METRIC_KIND_COUNTER_ADD, "envmgr_service_restarts_total",
            "Restarts env-manager made, by service and reason (exited, unhealthy)",
            {{"tenant", tenant}, {"service", service}, {"reason", unhealthy ? "unhealthy" : "exited"}}, 1);
    }
    double active = 0;
    for (const auto& [key, value] : states_) active += model::container_runs(value) ? 1 : 0;
    registry_.record(ENVMGR_METRIC_KIND_GAUGE_SET, "active_services",
                     "Service instances whose container runs", {}, active);
}

void StatusMetrics::on_health(const std::string& tenant, const std::string& service,
                              const std::string& transition) {
    registry_.record(ENVMGR_METRIC_KIND_COUNTER_ADD, "envmgr_health_transitions_total",
                     "Health transitions the supervisor published, by service and transition",
                     {{"tenant", tenant}, {"service", service}, {"transition", transition}}, 1);
}

void StatusMetrics::on_timeline(const std::string& run_json) {
    const auto run = sdk::read_document<sdk::TimelineRun>(run_json);
    if (!run) return;
    for (const auto& service : run->services) {
        if (service.ready < 0 || (service.outcome != "ready" && service.outcome != "completed")) continue;
        registry_.record(ENVMGR_METRIC_KIND_HISTOGRAM_OBSERVE, "envmgr_service_time_to_ready_seconds",
                         "From the start (or restart) asked to the service ready, by service",
                         {{"tenant", run->tenant}, {"service", service.service}}, service.ready / 1000.0);
    }
}

}  // namespace envmgr::host::metrics
