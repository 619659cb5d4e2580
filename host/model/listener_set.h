// Listeners by id, for whoever tells others about changes (the health supervisor, the engine's
// event stream, the lifecycle engine's state store). add() returns the id to remove by;
// notify() calls a copy of the set taken under the lock, so a listener may add or remove
// listeners while it is told, and one that throws does not keep the others from hearing.
// Any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <vector>

namespace envmgr::host::model {

template <typename... Args>
class ListenerSet {
public:
    using Listener = std::function<void(const Args&...)>;

    std::uint64_t add(Listener listener) {
        const std::lock_guard lock(mutex_);
        const auto id = next_id_++;
        listeners_.emplace(id, std::move(listener));
        return id;
    }

    void remove(std::uint64_t id) {
        const std::lock_guard lock(mutex_);
        listeners_.erase(id);
    }

    // Drops every listener (and whatever their captures keep alive).
    void clear() {
        std::map<std::uint64_t, Listener> dropped;
        {
            const std::lock_guard lock(mutex_);
            dropped.swap(listeners_);
        }
    }

    void notify(const Args&... args) const {
        std::vector<Listener> targets;
        {
            const std::lock_guard lock(mutex_);
            targets.reserve(listeners_.size());
            for (const auto& [id, listener] : listeners_) targets.push_back(listener);
        }
        for (const auto& listener : targets) {
            try {
                listener(args...);
            } catch (...) {  // a listener's failure stays its own
            }
        }
    }

    [[nodiscard]] std::size_t size() const {
        const std::lock_guard lock(mutex_);
        return listeners_.size();
    }

private:
    mutable std::mutex mutex_;
    std::map<std::uint64_t, Listener> listeners_;
    std::uint64_t next_id_ = 1;
};

}  // namespace envmgr::host::model
