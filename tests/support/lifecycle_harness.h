// The lifecycle engine as the daemon runs it, against the real engine: the default plugins
// (backend, probes, and the service plugins that define the stack) loaded through the host, the
// registry built from them and a TOML text, the health supervisor with the daemon's engine event
// stream. Tests run a tenant of their own and remove its containers, volumes and network at the
// end.
#pragma once

#include "host/registry/service_registry.h"
#include "host/scheduler/lifecycle_engine.h"
#include "host/scheduler/plugin_backend_client.h"
#include "tests/support/health_harness.h"

#include <chrono>
#include <string>
#include <vector>

namespace envmgr::tests {

// A `status` event from the bus, and when it arrived (events arrive in publish order).
struct TimedEvent {
    std::string tenant;
    std::string service;
    std::string state;  // "creating", "healthy", ...
    std::string message;
    std::chrono::steady_clock::time_point at;
};

class LifecycleHarness {
public:
    LifecycleHarness(const std::string& toml, host::scheduler::EngineSettings settings = {});
    ~LifecycleHarness();
    LifecycleHarness(const LifecycleHarness&) = delete;
    LifecycleHarness& operator=(const LifecycleHarness&) = delete;

    host::scheduler::RunResult start(const host::scheduler::StartRequest& request,
                                     std::chrono::seconds timeout = std::chrono::seconds(120));
    host::scheduler::RunResult stop(const host::scheduler::StopRequest& request,
                                    std::chrono::seconds timeout = std::chrono::seconds(120));
    nlohmann::json snapshot(const std::string& tenant);
    // Every state change seen so far, in order, with when it arrived.
    std::vector<TimedEvent> events();
    // The first event of service reaching state since `since`, if any.
    std::optional<TimedEvent> first(const std::string& service, const std::string& state,
                                    std::chrono::steady_clock::time_point since = {});
    // Removes every container, volume and the network of the tenant.
    void remove_tenant(const std::string& tenant);

    // The harness's tenants are left as they are at its end (another harness goes on with them).
    void keep_tenants() { tenants_.clear(); }

    const host::registry::Registry& registry() const { return registry_; }
    host::events::EventBus& bus() { return health_.bus(); }
    BackendHarness& backend() { return health_.backend(); }
    // The engine's own record of its runs (the start timeline), e.g. for benchmarks.
    const host::scheduler::LifecycleEngine& engine() const { return *engine_; }

private:
    HealthHarness health_;
    host::registry::Registry registry_;
    std::unique_ptr<host::scheduler::PluginBackendClient> client_;
    std::unique_ptr<host::scheduler::LifecycleEngine> engine_;
    std::mutex mutex_;
    std::vector<TimedEvent> events_;
    std::vector<std::string> tenants_;
    std::uint64_t subscription_ = 0;
};

}  // namespace envmgr::tests
