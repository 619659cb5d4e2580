#include "host/health/check_limiter.h"

namespace envmgr::host::health {

void CheckLimiter::acquire(std::function<void()> start) {
    {
        const std::lock_guard lock(mutex_);
        if (in_flight_ >= limit_) {
            waiting_.push_back(std::move(start));
            return;
        }
        ++in_flight_;
    }
    start();
}

void CheckLimiter::release() {
    std::function<void()> next;
    {
        const std::lock_guard lock(mutex_);
        if (waiting_.empty()) {
            if (in_flight_ > 0) --in_flight_;
            return;
        }
        next = std::move(waiting_.front());  // the slot passes on to it
        waiting_.pop_front();
    }
    next();
}

std::size_t CheckLimiter::in_flight() const {
    const std::lock_guard lock(mutex_);
    return in_flight_;
}

std::size_t CheckLimiter::waiting() const {
    const std::lock_guard lock(mutex_);
    return waiting_.size();
}

}  // namespace envmgr::host::health
