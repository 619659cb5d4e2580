// The end of a start run for the start timeline: the run kept (timeline.get, timeline.plot), one
// log line with its total and critical chain, and the run on the bus's `timeline` topic (the
// time-to-ready histogram in /metrics).
#include "host/scheduler/start_run.h"

#include <fmt/format.h>

namespace envmgr::host::scheduler {

void StartRun::record_timeline() {
    auto run = recorder_.finish(timeline::Clock::now());
    std::string chain;
    for (const auto& link : run.critical_chain) {
        chain += fmt::format("{}{} @{:.0f} ms +{:.0f} ms", chain.empty() ? "" : " -> ", link.service, link.at,
                             link.took);
    }
    core_->logger().info("{} of tenant '{}': {} service(s) in {:.0f} ms; critical chain: {}", run.kind,
                         run.tenant, run.services.size(), run.total, chain.empty() ? "none" : chain);
    if (auto* bus = core_->bus()) bus->publish("timeline", nlohmann::json(run).dump());
    core_->timelines().add(std::move(run));
}

}  // namespace envmgr::host::scheduler
