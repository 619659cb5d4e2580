// The health supervisor: one watch per service instance (watched_instance.h), with kubelet's parameters
// (probe_schedule.h), all of its probes (all must pass), engine events first (a container that
// dies is unhealthy at once, not at the next probe), and probe traffic bounded daemon-wide.
//
// Threading: watch, unwatch, status, subscribe and on_container_event may be called from any
// thread. Each watched instance changes on its own strand of the executor; listeners run there
// (one instance's transitions never overlap and come in order) and must not block. After
// unwatch returns, no check of that instance starts; a transition being published at that
// moment may still arrive. stop() ends every watch; after it returns no listener runs.
#pragma once

#include "host/events/event_bus.h"
#include "host/health/container_events.h"
#include "host/health/health_types.h"
#include "host/health/probe_runner.h"

#include <boost/asio/any_io_executor.hpp>

#include <spdlog/logger.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace envmgr::host::health {

struct SupervisorShared;
class WatchRegistry;

class HealthSupervisor {
public:
    using Listener = std::function<void(const HealthTransition&)>;

    // bus may be null; transitions are then only given to listeners.
    HealthSupervisor(boost::asio::any_io_executor executor, ProbeRunner& runner, SupervisorSettings settings,
                     events::EventBus* bus, std::shared_ptr<spdlog::logger> logger);
    HealthSupervisor(const HealthSupervisor&) = delete;
    HealthSupervisor& operator=(const HealthSupervisor&) = delete;
    ~HealthSupervisor();

    std::uint64_t watch(WatchTarget target);
    void unwatch(std::uint64_t watch);
    [[nodiscard]] std::optional<HealthStatus> status(std::uint64_t watch) const;
    // Moves after the message of any watch's last check changed: what status() says of the
    // checks stays the same while it reads the same value.
    [[nodiscard]] std::uint64_t check_messages_version() const noexcept;
    // The same for one watch's checks: the counter itself, null for a watch that is gone.
    [[nodiscard]] std::shared_ptr<const std::atomic<std::uint64_t>> check_messages_version(
        std::uint64_t watch) const;

    std::uint64_t subscribe(Listener listener);
    void unsubscribe(std::uint64_t id);

    // Engine events (ContainerEvents): die and OOM end a watched container's health at once.
    void on_container_event(const ContainerEvent& event);

    void stop();

    // The spec one check of `probe` gets: the address filled in (the container's own, or the
    // published port), the schedule fields left out (the supervisor owns them). Pure.
    static sdk::ProbeSpec check_spec(const sdk::ProbeSpec& probe, const WatchTarget& target,
                                     const std::string& probe_address);
    // The timings of a probe: its spec's, or the settings' where the spec keeps the default.
    static ProbeTimings timings_for(const sdk::ProbeSpec& probe, const ProbeTimings& defaults);

private:
    std::shared_ptr<SupervisorShared> shared_;  // held weakly by each watch
    std::unique_ptr<WatchRegistry> watches_;
};

}  // namespace envmgr::host::health
