#include "host/health/watch_registry.h"

namespace envmgr::host::health {

std::shared_ptr<WatchedInstance> WatchRegistry::add(const Make& make) {
    const std::lock_guard lock(mutex_);
    if (closed_) return nullptr;
    const auto id = next_id_++;
    auto instance = make(id);
    instances_.emplace(id, instance);
    if (!instance->target().container_id.empty()) by_container_[instance->target().container_id] = id;
    return instance;
}

std::shared_ptr<WatchedInstance> WatchRegistry::take(std::uint64_t id) {
    const std::lock_guard lock(mutex_);
    const auto it = instances_.find(id);
    if (it == instances_.end()) return nullptr;
    auto instance = it->second;
    instances_.erase(it);
    const auto by = by_container_.find(instance->target().container_id);
    if (by != by_container_.end() && by->second == id) by_container_.erase(by);
    return instance;
}

std::shared_ptr<WatchedInstance> WatchRegistry::find(std::uint64_t id) const {
    const std::lock_guard lock(mutex_);
    const auto it = instances_.find(id);
    return it == instances_.end() ? nullptr : it->second;
}

std::shared_ptr<WatchedInstance> WatchRegistry::find_container(const std::string& container_id) const {
    const std::lock_guard lock(mutex_);
    const auto by = by_container_.find(container_id);
    return by == by_container_.end() ? nullptr : instances_.at(by->second);
}

std::map<std::uint64_t, std::shared_ptr<WatchedInstance>> WatchRegistry::close() {
    std::map<std::uint64_t, std::shared_ptr<WatchedInstance>> all;
    const std::lock_guard lock(mutex_);
    closed_ = true;
    all.swap(instances_);
    by_container_.clear();
    return all;
}

}  // namespace envmgr::host::health
