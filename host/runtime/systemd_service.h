// What systemd hears from the running daemon: READY=1 once it serves, a STATUS= line kept
// current from the event bus's `status` topic ("6 services, 6 ready; gRPC 0.0.0.0:50100"),
// RELOADING=1 and READY=1 around a reload, STOPPING=1 at shutdown, and WATCHDOG=1 pings posted
// to the lifecycle engine's strand (the thread that would hang: a hung engine stops them, and
// systemd restarts the daemon). Does nothing when systemd did not start the daemon.
#pragma once

#include "host/events/event_bus.h"
#include "host/registry/service_registry.h"
#include "host/runtime/systemd_notifier.h"
#include "host/scheduler/engine_core.h"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace envmgr::host::runtime {

class SystemdService {
public:
    SystemdService(events::EventBus& bus, std::string grpc_addr);
    SystemdService(const SystemdService&) = delete;
    SystemdService& operator=(const SystemdService&) = delete;
    ~SystemdService();

    // The daemon serves: READY=1 with the status line, and the watchdog pings begin.
    void ready(const registry::Registry& registry, const scheduler::EngineCore::Strand& strand);
    void reloading() const;
    // After a reload (taken or refused): READY=1 with the status line of the services in use.
    void reloaded(const registry::Registry& registry);
    // STOPPING=1; the pings end.
    void stopping();

    // "6 services, 6 ready; gRPC 0.0.0.0:50100" (pure, for tests).
    static std::string status_line(std::size_t services, std::size_t ready, const std::string& grpc_addr);

private:
    void on_status(const std::string& tenant, const std::string& service, const std::string& state);
    void count(const registry::Registry& registry);
    [[nodiscard]] std::string line() const;  // under mutex_
    struct WatchdogPings;

    SystemdNotifier notifier_;
    events::EventBus& bus_;
    std::string grpc_addr_;
    std::uint64_t subscription_ = 0;
    mutable std::mutex mutex_;
    std::size_t services_ = 0;
    std::map<std::pair<std::string, std::string>, bool> ready_;  // (tenant, service) -> healthy
    bool announced_ = false;
    std::shared_ptr<WatchdogPings> watchdog_;
};

}  // namespace envmgr::host::runtime
