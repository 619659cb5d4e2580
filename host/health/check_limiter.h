// At most N probe checks in flight daemon-wide, so that 200 services waiting for readiness do
// not open 200 sockets every 25 ms. Checks beyond the limit wait their turn, first come first
// served. Any thread.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace envmgr::host::health {

class CheckLimiter {
public:
    explicit CheckLimiter(std::size_t limit) : limit_(limit == 0 ? 1 : limit) {}

    // Runs start now (inside this call) when a slot is free, else when one is released.
    void acquire(std::function<void()> start);
    // Frees a slot: the next waiting start runs (inside this call).
    void release();

    [[nodiscard]] std::size_t in_flight() const;
    [[nodiscard]] std::size_t waiting() const;

private:
    std::size_t limit_;
    mutable std::mutex mutex_;
    std::size_t in_flight_ = 0;
    std::deque<std::function<void()>> waiting_;
};

}  // namespace envmgr::host::health
