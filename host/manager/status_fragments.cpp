#include "host/manager/status_fragments.h"

#include <nlohmann/json.hpp>

namespace envmgr::host::manager {
namespace {

bool same_usage(const sdk::ResourceUsage& a, const sdk::ResourceUsage& b) {
    return a.cpu_percent == b.cpu_percent && a.memory_bytes == b.memory_bytes &&
           a.network_rx_bytes == b.network_rx_bytes && a.network_tx_bytes == b.network_tx_bytes;
}

}  // namespace

StatusFragments::Fragment* StatusFragments::kept_for(
    Scope& scope, std::size_t at, const sdk::ServiceStatus& status,
    std::map<std::pair<std::string, std::string>, std::size_t>& by_name) {
    auto& kept = scope.fragments;
    if (at < kept.size() && kept[at].status != nullptr && kept[at].status->name == status.name &&
        kept[at].status->tenant == status.tenant) {
        return &kept[at];
    }
    if (by_name.empty()) {
        for (std::size_t i = 0; i < kept.size(); ++i) {
            if (kept[i].status != nullptr) by_name[{kept[i].status->tenant, kept[i].status->name}] = i;
        }
    }
    const auto found = by_name.find({status.tenant, status.name});
    return found == by_name.end() ? nullptr : &kept[found->second];
}

std::string StatusFragments::document(const std::string& scope_name,
                                      const scheduler::SharedStatuses& statuses, const Usage& usage) {
    const std::lock_guard lock(mutex_);
    auto& scope = scopes_[scope_name];
    std::map<std::pair<std::string, std::string>, std::size_t> by_name;  // made only when the order moved
    std::vector<Fragment> next;
    next.reserve(statuses.services.size());
    std::string text;
    text.reserve(scope.size + 64);
    text += R"({"services":[)";
    for (std::size_t at = 0; at < statuses.services.size(); ++at) {
        const auto& status = statuses.services[at];
        const auto figures = usage.find(status->container_id);
        const sdk::ResourceUsage now = figures != usage.end() ? figures->second : sdk::ResourceUsage{};
        auto* kept = kept_for(scope, at, *status, by_name);
        if (kept != nullptr && kept->status == status && same_usage(kept->usage, now)) {
            next.push_back(std::move(*kept));
            kept->status = nullptr;  // taken: a second service of the same name cannot take it too
        } else {
            sdk::ServiceStatus annotated = *status;
            annotated.resource_usage = now;
            next.push_back({status, now, nlohmann::json(annotated).dump()});
        }
        if (at != 0) text += ',';
        text += next.back().text;
    }
    text += R"(],"timestamp":)" + std::to_string(statuses.timestamp) + "}";
    scope = {std::move(next), text.size()};  // services gone are forgotten
    return text;
}

}  // namespace envmgr::host::manager
