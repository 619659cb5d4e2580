#include "host/health/transition_publisher.h"

#include <chrono>

namespace envmgr::host::health {

void TransitionPublisher::publish(const HealthTransition& transition) const {
    if (closed_) return;
    listeners_.notify(transition);
    if (bus_ == nullptr) return;
    const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    bus_->publish("health", health_event_document(transition, now_ms));
}

void TransitionPublisher::close() {
    closed_ = true;
    listeners_.clear();
}

}  // namespace envmgr::host::health
