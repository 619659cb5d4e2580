#include "host/health/recent_exits.h"

#include <algorithm>

namespace envmgr::host::health {

void RecentExits::record(const ContainerEvent& event) {
    if (event.action != "die") return;
    const std::lock_guard lock(mutex_);
    if (const auto found = by_container_.find(event.id); found != by_container_.end()) {
        found->second = event;
        order_.erase(std::find(order_.begin(), order_.end(), event.id));
    } else {
        by_container_.emplace(event.id, event);
    }
    order_.push_back(event.id);
    while (order_.size() > capacity_) {
        by_container_.erase(order_.front());
        order_.pop_front();
    }
}

std::optional<ContainerEvent> RecentExits::since(const std::string& container_id,
                                                 std::int64_t started_at_ns) const {
    if (started_at_ns <= 0) return std::nullopt;
    const std::lock_guard lock(mutex_);
    const auto found = by_container_.find(container_id);
    if (found == by_container_.end() || found->second.time_nano < started_at_ns) return std::nullopt;
    return found->second;
}

std::size_t RecentExits::size() const {
    const std::lock_guard lock(mutex_);
    return by_container_.size();
}

}  // namespace envmgr::host::health
