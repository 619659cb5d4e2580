// A changed definition as an update of the Swarm service in place (service_mapping.h).
#include "plugins/backends/docker/json_access.h"
#include "plugins/backends/swarm/service_mapping.h"

#include <envmgr/sdk/status.h>

#include <algorithm>

namespace envmgr::plugins::backends::swarm {
namespace {

using docker::object_at;

bool copies_side_by_side_are_harmless(const sdk::ContainerSpec& spec) {
    const bool publishes = std::any_of(spec.ports.begin(), spec.ports.end(),
                                       [](const sdk::PortMapping& port) { return port.host_port != 0; });
    const bool writes_shared_data =
        std::any_of(spec.mounts.begin(), spec.mounts.end(),
                    [](const auto& mount) { return mount.type != "tmpfs" && !mount.read_only; });
    // Reserved GPUs or memory a node may hold only once: the new task would wait for the old.
    const bool reserves = spec.gpu.count != 0 || spec.resources.memory_reservation_bytes > 0;
    return !publishes && !writes_shared_data && !reserves;
}

}  // namespace

nlohmann::json update_config_body(const sdk::ContainerSpec& spec) {
    return {{"Parallelism", 1},
            {"Delay", 0},
            {"FailureAction", "pause"},
            {"Order", copies_side_by_side_are_harmless(spec) ? "start-first" : "stop-first"}};
}

nlohmann::json service_update_spec(const nlohmann::json& current_spec, const sdk::ContainerSpec& spec,
                                   const ServiceSettings& settings, bool running) {
    const std::string name = current_spec.value("Name", "");
    if (spec.name != name) {
        throw sdk::Error(ENVMGR_STATUS_INVALID,
                         "spec.name: a Swarm service keeps its name (" + name + "), got '" + spec.name + "'");
    }
    auto next = service_create_body(spec, settings);
    next["Mode"]["Replicated"]["Replicas"] = running ? spec.replicas : 0;
    next["TaskTemplate"]["ForceUpdate"] =
        docker::int_or_zero(object_at(current_spec, "TaskTemplate"), "ForceUpdate") + 1;
    return next;
}

}  // namespace envmgr::plugins::backends::swarm
