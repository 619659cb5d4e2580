#include "host/tasks/workload_slots.h"

namespace envmgr::host::tasks {

const std::vector<std::string>& WorkloadSlots::classes() {
    static const std::vector<std::string> names{"cpu_short", "cpu_long", "gpu"};
    return names;
}

WorkloadSlots::WorkloadSlots(std::map<std::string, std::int64_t> capacity) {
    for (const auto& name : classes()) slots_[name].capacity = capacity[name];
}

std::optional<std::string> WorkloadSlots::resolve(const std::string& requested, std::string& error) {
    if (requested.empty()) return classes().front();
    for (const auto& name : classes()) {
        if (name == requested) return name;
    }
    error = "workload_class: unknown class '" + requested + "' (cpu_short, cpu_long, gpu)";
    return std::nullopt;
}

SlotUsage WorkloadSlots::usage(const std::string& workload_class) const {
    const std::lock_guard lock(mutex_);
    const auto it = slots_.find(workload_class);
    return it == slots_.end() ? SlotUsage{} : it->second;
}

bool WorkloadSlots::acquire(const std::string& workload_class) {
    const std::lock_guard lock(mutex_);
    auto& slot = slots_[workload_class];
    if (slot.in_use >= slot.capacity) return false;
    ++slot.in_use;
    return true;
}

void WorkloadSlots::release(const std::string& workload_class) {
    const std::lock_guard lock(mutex_);
    auto& slot = slots_[workload_class];
    if (slot.in_use > 0) --slot.in_use;
}

}  // namespace envmgr::host::tasks
