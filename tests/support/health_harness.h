// The daemon's health parts against the real engine: the default plugins (backend.docker and the
// probes) loaded through the host, the health supervisor running them, and the daemon's one
// engine event stream feeding it. Containers it starts carry the env-manager.tenant label (so
// the event stream sees them) and envmgr.test (so the test-bed cleans them up).
#pragma once

#include "host/events/event_bus.h"
#include "host/health/container_events.h"
#include "host/health/health_supervisor.h"
#include "host/health/plugin_probe_runner.h"
#include "tests/support/backend_harness.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace envmgr::tests {

class HealthHarness {
public:
    explicit HealthHarness(const host::health::SupervisorSettings& settings = {});
    ~HealthHarness();
    HealthHarness(const HealthHarness&) = delete;
    HealthHarness& operator=(const HealthHarness&) = delete;

    // Creates and starts a container from a container spec (docs/container-spec.md), and
    // returns what the supervisor needs to watch it (its address, published ports, start time).
    host::health::WatchTarget run(nlohmann::json spec, std::vector<sdk::ProbeSpec> probes);
    // Forces the removal of every container run() made.
    void remove_all();

    // The first transition of this kind for the container, once it arrived.
    std::optional<host::health::HealthTransition> wait_for(const std::string& kind,
                                                           const std::string& container_id,
                                                           std::chrono::milliseconds timeout);

    BackendHarness& backend() { return *backend_; }
    host::health::HealthSupervisor& supervisor() { return *supervisor_; }
    host::events::EventBus& bus() { return bus_; }
    boost::asio::any_io_executor executor() { return io_.get_executor(); }

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::vector<std::thread> threads_;
    host::events::EventBus bus_;
    std::unique_ptr<BackendHarness> backend_;
    std::unique_ptr<host::health::PluginProbeRunner> runner_;
    std::unique_ptr<host::health::HealthSupervisor> supervisor_;
    std::unique_ptr<host::health::ContainerEvents> events_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<host::health::HealthTransition> transitions_;
    std::vector<std::string> containers_;
};

}  // namespace envmgr::tests
