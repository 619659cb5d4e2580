#include "host/health/container_events.h"

#include <envmgr/sdk/async_call.h>

#include <condition_variable>
#include <vector>

namespace envmgr::host::health {

struct ContainerEvents::Shared {
    std::shared_ptr<spdlog::logger> logger;
    std::mutex mutex;
    std::condition_variable ended_changed;
    std::map<std::uint64_t, Listener> listeners;
    std::uint64_t next_listener = 1;
    std::shared_ptr<loader::PluginInstance> backend;  // held while the stream runs
    envmgr_operation_id operation = 0;
    bool running = false;
    bool ended = true;
    int dispatching = 0;

    void dispatch(const ContainerEvent& event) {
        std::vector<Listener> targets;
        {
            const std::lock_guard lock(mutex);
            if (!running) return;
            ++dispatching;
            for (const auto& [id, listener] : listeners) targets.push_back(listener);
        }
        for (const auto& listener : targets) {
            try {
                listener(event);
            } catch (...) {  // a listener's failure stays its own
            }
        }
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
    auto backend = backend_ ? backend_() : nullptr;
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
    const auto callbacks = sdk::make_callbacks(
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
    const auto operation = backend->library().backend_api.invoke(backend->raw(), "events.stream",
                                                                 request.dump().c_str(), &callbacks);
    const std::lock_guard lock(shared_->mutex);
    shared_->operation = operation;
    return true;
}

void ContainerEvents::stop() {
    std::shared_ptr<loader::PluginInstance> backend;
    envmgr_operation_id operation = 0;
    {
        const std::lock_guard lock(shared_->mutex);
        shared_->running = false;  // no listener starts from here on
        if (!shared_->ended) {
            backend = shared_->backend;
            operation = shared_->operation;
        }
    }
    if (backend && operation != 0) backend->library().backend_api.cancel(backend->raw(), operation);
    backend.reset();
    std::unique_lock lock(shared_->mutex);
    shared_->ended_changed.wait_for(lock, std::chrono::seconds(5),
                                    [this] { return shared_->ended && shared_->dispatching == 0; });
}

std::uint64_t ContainerEvents::subscribe(Listener listener) {
    const std::lock_guard lock(shared_->mutex);
    const auto id = shared_->next_listener++;
    shared_->listeners.emplace(id, std::move(listener));
    return id;
}

void ContainerEvents::unsubscribe(std::uint64_t id) {
    const std::lock_guard lock(shared_->mutex);
    shared_->listeners.erase(id);
}

}  // namespace envmgr::host::health
