#include "host/health/health_supervisor.h"

#include "host/health/supervisor_shared.h"
#include "host/health/watch_registry.h"

#include <boost/asio/post.hpp>

#include <atomic>
#include <chrono>
#include <future>

namespace envmgr::host::health {

HealthSupervisor::HealthSupervisor(boost::asio::any_io_executor executor, ProbeRunner& runner,
                                   SupervisorSettings settings, events::EventBus* bus,
                                   std::shared_ptr<spdlog::logger> logger)
    : shared_(std::make_shared<SupervisorShared>(std::move(executor), runner, std::move(settings), bus,
                                                 std::move(logger))),
      watches_(std::make_unique<WatchRegistry>()) {}

HealthSupervisor::~HealthSupervisor() {
    stop();
}

std::uint64_t HealthSupervisor::watch(WatchTarget target) {
    const auto instance = watches_->add([&](std::uint64_t id) {
        return std::make_shared<WatchedInstance>(shared_, id, std::move(target),
                                                 boost::asio::make_strand(shared_->executor));
    });
    if (!instance) return 0;  // stopped
    // An exit the engine reported before the watch began decides first: begin() then does nothing.
    if (const auto exited =
            shared_->recent_exits.since(instance->target().container_id, instance->target().started_at_ns)) {
        boost::asio::post(instance->strand(), [instance, event = *exited] { instance->on_event(event); });
    }
    boost::asio::post(instance->strand(), [instance] { instance->begin(); });
    return instance->id();
}

void HealthSupervisor::unwatch(std::uint64_t watch) {
    if (const auto instance = watches_->take(watch)) {
        boost::asio::post(instance->strand(), [instance] { instance->halt(); });
    }
}

std::optional<HealthStatus> HealthSupervisor::status(std::uint64_t watch) const {
    const auto instance = watches_->find(watch);
    if (!instance) return std::nullopt;
    return instance->status();
}

std::shared_ptr<const std::atomic<std::uint64_t>> HealthSupervisor::check_messages_version(
    std::uint64_t watch) const {
    const auto instance = watches_->find(watch);
    return instance ? instance->messages_version() : nullptr;
}

std::uint64_t HealthSupervisor::check_messages_version() const noexcept {
    return shared_->check_messages.load(std::memory_order_acquire);
}

std::uint64_t HealthSupervisor::subscribe(Listener listener) {
    return shared_->publisher.subscribe(std::move(listener));
}

void HealthSupervisor::unsubscribe(std::uint64_t id) {
    shared_->publisher.unsubscribe(id);
}

void HealthSupervisor::on_container_event(const ContainerEvent& event) {
    shared_->recent_exits.record(event);
    if (const auto instance = watches_->find_container(event.id)) {
        boost::asio::post(instance->strand(), [instance, event] { instance->on_event(event); });
    }
}

void HealthSupervisor::stop() {
    auto instances = watches_->close();
    shared_->publisher.close();
    if (instances.empty()) return;
    // Wait (bounded: the executor may not be running) for every instance to halt, so that the
    // runner is not called after stop returns.
    auto halted = std::make_shared<std::promise<void>>();
    auto remaining = std::make_shared<std::atomic<std::size_t>>(instances.size());
    for (auto& entry : instances) {
        auto instance = entry.second;
        boost::asio::post(instance->strand(), [instance, halted, remaining] {
            instance->halt();
            if (--*remaining == 0) halted->set_value();
        });
    }
    halted->get_future().wait_for(std::chrono::seconds(2));
}

}  // namespace envmgr::host::health
