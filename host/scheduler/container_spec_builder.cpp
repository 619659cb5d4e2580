#include "host/scheduler/container_spec_builder.h"

namespace envmgr::host::scheduler {

sdk::ContainerSpec container_spec_for(const registry::EffectiveService& service) {
    const auto& definition = service.definition;
    sdk::ContainerSpec spec;
    spec.name = service.container_name;
    spec.image = definition.image;
    spec.command = definition.command;
    spec.entrypoint = definition.entrypoint;
    spec.process = definition.process;
    spec.env = definition.env;
    spec.labels = definition.labels;
    spec.ports = definition.ports;
    spec.mounts = definition.mounts;
    spec.network = service.network;
    spec.network_aliases = {definition.name};
    spec.restart_policy = "no";
    spec.init = definition.init;
    spec.resources = definition.resources;
    if (definition.gpu == "required") {
        spec.gpu.count = definition.gpu_device_ids.empty() ? definition.gpu_count : 0;
        spec.gpu.device_ids = definition.gpu_device_ids;
    }
    spec.stop_timeout_seconds = definition.stop_timeout_seconds;
    spec.replicas = definition.replicas;
    spec.placement = definition.placement;
    spec.placement_preferences = definition.placement_preferences;
    return spec;
}

}  // namespace envmgr::host::scheduler
