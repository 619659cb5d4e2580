// What every watch of a health supervisor shares: the executor its strands come from, the probe
// runner, the settings, the daemon-wide check limit, the engine's recent exits and the publisher.
// Watches hold it weakly: once the supervisor is gone, a late timer or answer does nothing.
#pragma once

#include "host/health/check_limiter.h"
#include "host/health/health_types.h"
#include "host/health/probe_runner.h"
#include "host/health/recent_exits.h"
#include "host/health/transition_publisher.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>

#include <spdlog/logger.h>

#include <atomic>
#include <cstdint>
#include <memory>

namespace envmgr::host::health {

using Strand = boost::asio::strand<boost::asio::any_io_executor>;

struct SupervisorShared {
    SupervisorShared(boost::asio::any_io_executor ex, ProbeRunner& probe_runner, SupervisorSettings s,
                     events::EventBus* bus, std::shared_ptr<spdlog::logger> log)
        : executor(std::move(ex)),
          runner(probe_runner),
          settings(std::move(s)),
          logger(std::move(log)),
          limiter(settings.max_concurrent_checks),
          publisher(bus) {}

    boost::asio::any_io_executor executor;
    ProbeRunner& runner;
    SupervisorSettings settings;
    std::shared_ptr<spdlog::logger> logger;
    CheckLimiter limiter;
    RecentExits recent_exits;
    TransitionPublisher publisher;
    // Moves after any watch's last check message changed (what a status shows of the checks).
    std::atomic<std::uint64_t> check_messages{0};
};

}  // namespace envmgr::host::health
