// Capacity and use per workload class (cpu_short, cpu_long, gpu): what GetResourceAvailability
// reports and what ExecuteTask takes a slot of while it runs. Any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace envmgr::host::tasks {

struct SlotUsage {
    std::int64_t capacity = 0;
    std::int64_t in_use = 0;
};

class WorkloadSlots {
public:
    // The classes a request may name; "" means the first.
    static const std::vector<std::string>& classes();

    explicit WorkloadSlots(std::map<std::string, std::int64_t> capacity);

    // The class a request means ("" -> cpu_short), or nullopt with error naming the known ones.
    static std::optional<std::string> resolve(const std::string& requested, std::string& error);
    [[nodiscard]] SlotUsage usage(const std::string& workload_class) const;
    // Takes a slot; false when the class is at capacity.
    bool acquire(const std::string& workload_class);
    void release(const std::string& workload_class);

private:
    mutable std::mutex mutex_;
    std::map<std::string, SlotUsage> slots_;
};

}  // namespace envmgr::host::tasks
