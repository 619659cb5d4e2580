// The engine's last exits of containers nobody watched at the time: a container can end between
// the engine's answer that it runs and the moment its watch begins, and the `die` event that
// fired then would otherwise be lost (the container reported ready while it is gone). A new
// watch asks here first. Bounded: the oldest entries go first. Any thread.
#pragma once

#include "host/health/container_events.h"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace envmgr::host::health {

class RecentExits {
public:
    explicit RecentExits(std::size_t capacity = 1024) : capacity_(capacity == 0 ? 1 : capacity) {}

    // Keeps a `die` event (others are ignored: a removal without a die ended no run), replacing the
    // container's earlier one.
    void record(const ContainerEvent& event);
    // The container's exit at or after started_at_ns (the run that started then), if one was
    // recorded; an exit of an earlier run of the same container does not count. 0: unknown
    // start, nothing counts.
    [[nodiscard]] std::optional<ContainerEvent> since(const std::string& container_id,
                                                      std::int64_t started_at_ns) const;
    [[nodiscard]] std::size_t size() const;

private:
    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::map<std::string, ContainerEvent> by_container_;
    std::deque<std::string> order_;  // container ids, oldest first (one entry per container)
};

}  // namespace envmgr::host::health
