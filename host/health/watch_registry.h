// The supervisor's watches: by watch id, and by container id for the engine's events. Any
// thread; once closed it takes no new watch.
#pragma once

#include "host/health/watched_instance.h"

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace envmgr::host::health {

class WatchRegistry {
public:
    using Make = std::function<std::shared_ptr<WatchedInstance>(std::uint64_t id)>;

    // Makes the instance under a new id and keeps it; null (and nothing made) once closed.
    std::shared_ptr<WatchedInstance> add(const Make& make);
    // Removes and returns the watch; null when there is none.
    std::shared_ptr<WatchedInstance> take(std::uint64_t id);
    [[nodiscard]] std::shared_ptr<WatchedInstance> find(std::uint64_t id) const;
    [[nodiscard]] std::shared_ptr<WatchedInstance> find_container(const std::string& container_id) const;
    // Closes the registry and hands over every watch.
    std::map<std::uint64_t, std::shared_ptr<WatchedInstance>> close();

private:
    mutable std::mutex mutex_;
    std::map<std::uint64_t, std::shared_ptr<WatchedInstance>> instances_;
    std::map<std::string, std::uint64_t> by_container_;
    std::uint64_t next_id_ = 1;
    bool closed_ = false;
};

}  // namespace envmgr::host::health
