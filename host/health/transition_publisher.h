// Tells a health transition to the supervisor's listeners and, as a `health` event, to the
// event bus. Any thread. After close() returns nothing more is published and the listeners
// (and what they keep alive) are gone.
#pragma once

#include "host/events/event_bus.h"
#include "host/health/health_types.h"
#include "host/model/listener_set.h"

#include <atomic>
#include <cstdint>
#include <functional>

namespace envmgr::host::health {

class TransitionPublisher {
public:
    using Listener = std::function<void(const HealthTransition&)>;

    explicit TransitionPublisher(events::EventBus* bus) : bus_(bus) {}  // bus may be null

    std::uint64_t subscribe(Listener listener) { return listeners_.add(std::move(listener)); }
    void unsubscribe(std::uint64_t id) { listeners_.remove(id); }

    void publish(const HealthTransition& transition) const;
    void close();

private:
    events::EventBus* bus_;
    model::ListenerSet<HealthTransition> listeners_;
    std::atomic<bool> closed_{false};
};

}  // namespace envmgr::host::health
