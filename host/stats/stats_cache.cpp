#include "host/stats/stats_cache.h"

#include "host/model/service_state.h"

#include <envmgr/sdk/documents/read_document.h>

#include <vector>

namespace envmgr::host::stats {

StatsCache::StatsCache(const boost::asio::any_io_executor& executor, scheduler::LifecycleEngine& engine,
                       scheduler::BackendClient& backend, std::chrono::milliseconds interval)
    : timer_(executor), engine_(engine), backend_(backend), interval_(interval) {}

void StatsCache::start() {
    if (interval_.count() > 0) tick();
}

void StatsCache::stop() {
    std::vector<std::uint64_t> in_flight;
    {
        const std::lock_guard lock(mutex_);
        stopped_ = true;
        for (const auto& [id, work] : in_flight_) in_flight.push_back(work);
    }
    timer_.cancel();
    for (const auto work : in_flight) backend_.cancel(work);
}

void StatsCache::tick() {
    // Under the lock: once stop() returned, no tick reaches the engine (it may be gone).
    const std::lock_guard guard(mutex_);
    if (stopped_) return;
    engine_.snapshot("", [self = shared_from_this()](const sdk::StatusSnapshot& snapshot) {
        std::set<std::string> running;
        for (const auto& service : snapshot.services) {
            if (!service.container_id.empty() && model::container_runs(service.state)) {
                running.insert(service.container_id);
            }
        }
        self->poll(running);
        const std::lock_guard lock(self->mutex_);
        if (self->stopped_) return;
        self->timer_.expires_after(self->interval_);
        self->timer_.async_wait([self](boost::system::error_code ec) {
            if (!ec) self->tick();
        });
    });
}

void StatsCache::poll(const std::set<std::string>& running) {
    std::vector<std::string> due;
    {
        const std::lock_guard lock(mutex_);
        if (stopped_) return;
        if (std::erase_if(usage_, [&](const auto& entry) { return !running.contains(entry.first); }) != 0) {
            version_.fetch_add(1, std::memory_order_release);
        }
        for (const auto& id : running) {
            if (!in_flight_.contains(id)) due.push_back(id);  // a slow poll is not doubled
        }
        for (const auto& id : due) in_flight_[id] = 0;
    }
    for (const auto& id : due) {
        const auto work = backend_.invoke(
            "container.stats", {{"id", id}}, [self = shared_from_this(), id](const sdk::Result& result) {
                const std::lock_guard lock(self->mutex_);
                self->in_flight_.erase(id);
                ++self->polls_;
                if (!result.ok()) return;  // stopped meanwhile: the next tick drops it
                if (auto figures = sdk::read_document<sdk::ResourceUsage>(result.payload)) {
                    self->usage_[id] = *figures;
                    self->version_.fetch_add(1, std::memory_order_release);
                }
            });
        const std::lock_guard lock(mutex_);
        if (const auto it = in_flight_.find(id); it != in_flight_.end() && work != 0) it->second = work;
    }
}

std::map<std::string, sdk::ResourceUsage> StatsCache::usage() const {
    const std::lock_guard lock(mutex_);
    return usage_;
}

std::uint64_t StatsCache::polls() const {
    const std::lock_guard lock(mutex_);
    return polls_;
}

}  // namespace envmgr::host::stats
