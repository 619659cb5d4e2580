// The daemon's one stream of engine events for env-manager's containers (events.stream on the
// active backend, filtered by the env-manager.tenant label): a container that dies is known at
// once, not at the next probe. Listeners (the health supervisor, the lifecycle engine) get each
// event on the backend's thread and must not block.
#pragma once

#include "host/loader/plugin_handles.h"

#include <spdlog/logger.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace envmgr::host::health {

struct ContainerEvent {
    std::string
        action;  // start, die, oom, kill, stop, destroy, ...; "disconnected"/"reconnected" for the stream
    std::string id;
    std::string name;
    std::map<std::string, std::string> labels;
    std::optional<int> exit_code;
    std::int64_t time_nano = 0;
};

// An events.stream item as an event (pure); nullopt for items of another shape.
std::optional<ContainerEvent> container_event_from_item(const nlohmann::json& item);

class ContainerEvents {
public:
    using Backend = std::function<std::optional<loader::BackendHandle>()>;
    using Listener = std::function<void(const ContainerEvent&)>;

    ContainerEvents(Backend backend, std::shared_ptr<spdlog::logger> logger);
    ContainerEvents(const ContainerEvents&) = delete;
    ContainerEvents& operator=(const ContainerEvents&) = delete;
    ~ContainerEvents();

    // Starts the stream (it waits for an engine that is not up yet); false without a backend.
    bool start();
    // Cancels the stream and waits (bounded) for its end; no listener runs after it returns.
    void stop();

    std::uint64_t subscribe(Listener listener);
    void unsubscribe(std::uint64_t id);

    // The label every container env-manager makes carries; the stream selects by it.
    static constexpr const char* kTenantLabel = "env-manager.tenant";

private:
    struct Shared;
    Backend backend_;
    std::shared_ptr<Shared> shared_;
};

}  // namespace envmgr::host::health
