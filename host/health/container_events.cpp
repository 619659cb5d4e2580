#include "host/health/container_events.h"

#include "host/model/listener_set.h"

#include <condition_variable>
#include <vector>

namespace envmgr::host::health {

struct ContainerEvents::Shared {
    std::shared_ptr<spdlog::logger> logger;
    std::mutex mutex;
    std::condition_variable ended_changed;
    model::ListenerSet<ContainerEvent> listeners;
    std::optional<loader::BackendHandle> backend;  // held while the stream runs
    std::uint64_t call = 0;
    bool running = false;
    bool ended = true;
    int dispatching = 0;

    void dispatch(const ContainerEvent& event) {
        {
            const std::lock_guard lock(mutex);
            if (!running) return;
            ++dispatching;
        }
        listeners.notify(event);
        {
            const std::lock_guard lock(mutex);
            --dispatching;
        }
        ended_changed.notify_all();
    }
};

std::optional<ContainerEvent> container_event_from_item(const nlohmann::json& item) {
    if (!item.is_object()) return std::nullopt;
    ContainerEvent event;
    event.action = item.value("action", "");
    const std::string type = item.value("type", "");
    if (event.action.empty() || (type != "container" && type != "stream")) return std::nullopt;
    event.id = item.value("id", "");
    event.name = item.value("name", "");
    event.time_nano = item.value("time_nano", std::int64_t{0});
    if (const auto labels = item.find("labels"); labels != item.end() && labels->is_object()) {
        for (const auto& [key, value] : labels->items()) {
            if (value.is_string()) event.labels.emplace(key, value.get<std::string>());
        }
    }
    if (const auto code = item.find("exit_code"); code != item.end() && code->is_number_integer()) {
        event.exit_code = code->get<int>();
    }
    return event;
}

ContainerEvents::ContainerEvents(Backend backend, std::shared_ptr<spdlog::logger> logger)
    : backend_(std::move(backend)), shared_(std::make_shared<Shared>()) {
    shared_->logger = std::move(logger);
}

ContainerEvents::~ContainerEvents() {
    stop();
}

bool ContainerEvents::start() {
    auto backend = backend_ ? backend_() : std::nullopt;
    if (!backend) return false;
    {
        const std::lock_guard lock(shared_->mutex);
        if (shared_->running) return true;
        shared_->running = true;
        shared_->ended = false;
        shared_->backend = backend;
    }
    const nlohmann::json request{{"labels", {{kTenantLabel, ""}}}};
    auto shared = shared_;
    const auto call = backend->invoke(
        "events.stream", request.dump(),
        [shared](const sdk::Result& result) {
            if (result.status != ENVMGR_STATUS_CANCELLED) {
                shared->logger->error("the engine's event stream ended: {}", result.payload);
            }
            {
                const std::lock_guard lock(shared->mutex);
                shared->ended = true;
                shared->running = false;
                shared->backend.reset();
            }
            shared->ended_changed.notify_all();
        },
        [shared](std::string_view item_json) {
            const auto event = container_event_from_item(nlohmann::json::parse(item_json, nullptr, false));
            if (event) shared->dispatch(*event);
        });
    const std::lock_guard lock(shared_->mutex);
    shared_->call = call;
    return true;
}

void ContainerEvents::stop() {
    std::optional<loader::BackendHandle> backend;
    std::uint64_t call = 0;
    {
        const std::lock_guard lock(shared_->mutex);
        shared_->running = false;  // no listener starts from here on
        if (!shared_->ended) {
            backend = shared_->backend;
            call = shared_->call;
        }
    }
    if (backend && call != 0) backend->cancel(call);
    backend.reset();
    std::unique_lock lock(shared_->mutex);
    shared_->ended_changed.wait_for(lock, std::chrono::seconds(5),
                                    [this] { return shared_->ended && shared_->dispatching == 0; });
}

std::uint64_t ContainerEvents::subscribe(Listener listener) {
    return shared_->listeners.add(std::move(listener));
}

void ContainerEvents::unsubscribe(std::uint64_t id) {
    shared_->listeners.remove(id);
}

}  // namespace envmgr::host::health
