// Resource usage of the running containers, refreshed in the background: one container.stats
// poll per running container per interval (never one per request), so that a status read
// answers from memory. Containers that stop are dropped from the cache.
#pragma once

#include "host/scheduler/backend_client.h"
#include "host/scheduler/lifecycle_engine.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <envmgr/sdk/documents/status_snapshot.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace envmgr::host::stats {

class StatsCache : public std::enable_shared_from_this<StatsCache> {
public:
    StatsCache(const boost::asio::any_io_executor& executor, scheduler::LifecycleEngine& engine,
               scheduler::BackendClient& backend, std::chrono::milliseconds interval);

    // Starts the polling (interval 0: never; usage then stays zero).
    void start();
    // Ends the polling and the polls in flight. Before the engine and the backend go.
    void stop();

    // The figures of every container that has them, by container id. Any thread.
    [[nodiscard]] std::map<std::string, sdk::ResourceUsage> usage() const;
    // How many polls ran: every one is a container.stats call (for the tests and metrics).
    [[nodiscard]] std::uint64_t polls() const;
    // Moves whenever what usage() says may have changed. Any thread.
    [[nodiscard]] std::uint64_t version() const noexcept { return version_.load(std::memory_order_acquire); }

private:
    void tick();
    void poll(const std::set<std::string>& running);

    boost::asio::steady_timer timer_;
    scheduler::LifecycleEngine& engine_;
    scheduler::BackendClient& backend_;
    std::chrono::milliseconds interval_;

    mutable std::mutex mutex_;
    bool stopped_ = false;
    std::map<std::string, sdk::ResourceUsage> usage_;  // container id -> its last figures
    std::map<std::string, std::uint64_t> in_flight_;   // container id -> backend operation
    std::uint64_t polls_ = 0;
    std::atomic<std::uint64_t> version_{0};  // bumped after usage_ changed, under mutex_
};

}  // namespace envmgr::host::stats
