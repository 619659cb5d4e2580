// The critical chain of a start, as systemd-analyze critical-chain draws it for a boot: from a
// service back through the dependency whose readiness released it (the one that settled last
// before the service could go on), to the service nothing in the run held up. Pure.
#pragma once

#include <envmgr/sdk/documents/timeline_document.h>

#include <string>
#include <vector>

namespace envmgr::host::timeline {

// When the service settled (ready, completed or failed) in the run; -1: it did not.
double settled_at(const sdk::TimelineService& service);

// The service that settled last ("" : none did).
std::string last_settled(const sdk::TimelineRun& run);

// First link first; empty when the service is not in the run or never went on in it.
std::vector<sdk::ChainLink> critical_chain(const sdk::TimelineRun& run, const std::string& service);

}  // namespace envmgr::host::timeline
