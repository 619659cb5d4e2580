#include "host/timeline/critical_chain.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

namespace envmgr::host::timeline {
namespace {

// A launch is decided on the strand right after the state change that allowed it; a dependency
// that settled within this much after the launch still counts as the one it waited for.
constexpr double kSameMomentMs = 1.0;

const sdk::TimelineService* find(const sdk::TimelineRun& run, const std::string& name) {
    const auto found = std::find_if(run.services.begin(), run.services.end(),
                                    [&name](const auto& service) { return service.service == name; });
    return found == run.services.end() ? nullptr : &*found;
}

// A start slot is freed when a launching container's start returns, which is when its probes
// begin; the launch it allowed is decided on the strand within moments of that.
constexpr double kSlotMomentMs = 5.0;

// The dependency that settled last before the service went on; null: none held it up.
const sdk::TimelineService* released_by_dependency(const sdk::TimelineRun& run,
                                                   const sdk::TimelineService& service) {
    const sdk::TimelineService* latest = nullptr;
    for (const auto& name : service.depends_on) {
        const auto* dependency = find(run, name);
        if (dependency == nullptr || dependency->outcome == "already_ready") continue;
        const double at = settled_at(*dependency);
        if (at < 0 || at > service.launched + kSameMomentMs) continue;
        if (latest == nullptr || at > settled_at(*latest)) latest = dependency;
    }
    return latest;
}

// The service whose start freed the slot the service launched into; null: none did.
const sdk::TimelineService* released_by_slot(const sdk::TimelineRun& run,
                                             const sdk::TimelineService& service) {
    if (service.launched <= service.images_end + kSameMomentMs) return nullptr;  // no wait at all
    const sdk::TimelineService* closest = nullptr;
    for (const auto& other : run.services) {
        if (other.service == service.service || other.probe_begin < 0) continue;
        const double gap = std::abs(other.probe_begin - service.launched);
        if (gap > kSlotMomentMs) continue;
        if (closest == nullptr || gap < std::abs(closest->probe_begin - service.launched)) closest = &other;
    }
    return closest;
}

// What released the service: a dependency's readiness first, else a freed start slot.
std::pair<const sdk::TimelineService*, std::string> released_by(const sdk::TimelineRun& run,
                                                                const sdk::TimelineService& service) {
    if (const auto* dependency = released_by_dependency(run, service)) return {dependency, "ready"};
    if (const auto* slot = released_by_slot(run, service)) return {slot, "start_slot"};
    return {nullptr, ""};
}

}  // namespace

double settled_at(const sdk::TimelineService& service) {
    return service.ready >= 0 ? service.ready : service.failed;
}

std::string last_settled(const sdk::TimelineRun& run) {
    const sdk::TimelineService* last = nullptr;
    for (const auto& service : run.services) {
        if (settled_at(service) >= 0 && (last == nullptr || settled_at(service) > settled_at(*last))) {
            last = &service;
        }
    }
    return last == nullptr ? std::string() : last->service;
}

std::vector<sdk::ChainLink> critical_chain(const sdk::TimelineRun& run, const std::string& service) {
    std::vector<sdk::ChainLink> chain;
    std::set<std::string> seen;  // a dependency graph has no cycles; a bad document may
    const auto* current = find(run, service);
    while (current != nullptr && current->launched >= 0 && settled_at(*current) >= 0 &&
           seen.insert(current->service).second) {
        const auto [previous, wait] = released_by(run, *current);
        const double at = settled_at(*current);
        chain.push_back({current->service, at, at - current->launched,
                         previous == nullptr ? std::string() : previous->service, wait});
        current = previous;
    }
    std::reverse(chain.begin(), chain.end());
    return chain;
}

}  // namespace envmgr::host::timeline
