#include "host/runtime/systemd_service.h"

#include <envmgr/sdk/documents/manager_documents.h>
#include <envmgr/sdk/documents/read_document.h>
#include <fmt/format.h>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>

namespace envmgr::host::runtime {

// WATCHDOG=1 every half timeout, from the engine's strand. Its own copy of the notifier and
// its own lifetime: a ping that runs late never touches the SystemdService.
struct SystemdService::WatchdogPings : std::enable_shared_from_this<WatchdogPings> {
    WatchdogPings(SystemdNotifier pinger, const scheduler::EngineCore::Strand& engine_strand)
        : notifier(pinger), strand(engine_strand), timer(engine_strand) {}

    void ping() {
        if (stopped) return;
        notifier.watchdog();
        timer.expires_after(notifier.watchdog_interval());
        timer.async_wait([self = shared_from_this()](const boost::system::error_code& error) {
            if (!error) self->ping();
        });
    }
    void stop() {
        stopped = true;
        boost::asio::post(strand, [self = shared_from_this()] { self->timer.cancel(); });
    }

    SystemdNotifier notifier;
    scheduler::EngineCore::Strand strand;
    boost::asio::steady_timer timer;
    std::atomic<bool> stopped{false};
};

SystemdService::SystemdService(events::EventBus& bus, std::string grpc_addr)
    : bus_(bus), grpc_addr_(std::move(grpc_addr)) {
    subscription_ =
        bus_.subscribe({.topic_prefix = "status", .queue_depth = 0, .report_dropped = false},
                       [this](const std::string& /*topic*/, const std::string& event_json) {
                           if (const auto event = sdk::read_document<sdk::StatusDocument>(event_json)) {
                               on_status(event->tenant, event->service, event->state);
                           }
                       });
}

SystemdService::~SystemdService() {
    bus_.unsubscribe(subscription_);
    stopping();
}

std::string SystemdService::status_line(std::size_t services, std::size_t ready,
                                        const std::string& grpc_addr) {
    return fmt::format("{} service{}, {} ready; gRPC {}", services, services == 1 ? "" : "s", ready,
                       grpc_addr);
}

void SystemdService::count(const registry::Registry& registry) {
    const std::lock_guard lock(mutex_);
    services_ = registry.service_count();
}

std::string SystemdService::line() const {
    std::size_t ready = 0;
    for (const auto& [key, healthy] : ready_) ready += healthy ? 1 : 0;
    return status_line(services_, ready, grpc_addr_);
}

void SystemdService::ready(const registry::Registry& registry, const scheduler::EngineCore::Strand& strand) {
    count(registry);
    {
        const std::lock_guard lock(mutex_);
        announced_ = true;
        notifier_.ready(line());
        if (notifier_.watchdog_interval().count() > 0) {
            watchdog_ = std::make_shared<WatchdogPings>(notifier_, strand);
        }
    }
    // The first ping from the strand too: a strand that is stuck already sends none.
    if (watchdog_) boost::asio::post(strand, [pings = watchdog_] { pings->ping(); });
}

void SystemdService::reloading() const {
    notifier_.reloading();
}

void SystemdService::reloaded(const registry::Registry& registry) {
    count(registry);
    const std::lock_guard lock(mutex_);
    notifier_.ready(line());
}

void SystemdService::stopping() {
    const std::lock_guard lock(mutex_);
    if (!announced_) return;
    announced_ = false;
    if (watchdog_) watchdog_->stop();
    notifier_.stopping();
}

void SystemdService::on_status(const std::string& tenant, const std::string& service,
                               const std::string& state) {
    const std::lock_guard lock(mutex_);
    auto& healthy = ready_[{tenant, service}];
    const bool now = state == "healthy";
    if (healthy == now) return;
    healthy = now;
    if (announced_) notifier_.status(line());
}

}  // namespace envmgr::host::runtime
